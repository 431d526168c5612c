package snapshot

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/hubaudit/hubaudit/internal/keyword"
	"github.com/hubaudit/hubaudit/internal/lazyre"
	"github.com/hubaudit/hubaudit/report"
)

// Version is the snapshot format version.
const Version = 1

// Snapshot is a deployment's state as seen by one audit.
type Snapshot struct {
	SnapshotVersion int            `json:"snapshot_version"`
	Report          *report.Report `json:"report"`
	// ConfigTexts maps each config file to its text with secret values
	// replaced, for the config diff.
	ConfigTexts map[string]string `json:"config_texts"`
}

// Write encodes s as indented JSON.
func Write(w io.Writer, s *Snapshot) error {
	s.SnapshotVersion = Version
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(s)
}

// Read decodes a snapshot file and checks its version.
func Read(path string) (*Snapshot, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		var pe *os.PathError
		if errors.As(err, &pe) {
			return nil, fmt.Errorf("%s: %v", path, pe.Err)
		}
		return nil, err
	}
	var s Snapshot
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, fmt.Errorf("%s: not a hubaudit snapshot: %v", path, err)
	}
	if s.SnapshotVersion != Version || s.Report == nil {
		return nil, fmt.Errorf("%s: not a hubaudit snapshot of version %d", path, Version)
	}
	return &s, nil
}

// secretLine matches a config assignment whose value may be a secret:
// cookie secrets, tokens, passwords, client secrets, keys, and db URLs.
var secretLine = lazyre.New(`(?i)^(\s*[\w.\[\]'"]*(secret|token|password|passwd|api_key|private_key|db_url|client_id)[\w\[\]'"]*\s*(=|:)\s*)(.+)$`)

// RedactConfig replaces the values of secret-looking assignments in a
// config text with "<redacted>", line by line, so snapshots and diffs never
// carry secrets.
func RedactConfig(text string) string {
	if !keyword.MayContain(text, secretWords) {
		return text
	}
	lines := strings.Split(text, "\n")
	for i, ln := range lines {
		if strings.HasPrefix(strings.TrimSpace(ln), "#") {
			continue
		}
		if !strings.ContainsAny(ln, "=:") || !keyword.MayContain(ln, secretWords) {
			continue // the pattern needs both: skip the regexp
		}
		if m := secretLine().FindStringSubmatch(ln); m != nil {
			lines[i] = m[1] + "<redacted>"
		}
	}
	return strings.Join(lines, "\n")
}

// secretWords are the key words of secretLine, lower case.
var secretWords = []string{"secret", "token", "password", "passwd", "api_key", "private_key", "db_url", "client_id"}
