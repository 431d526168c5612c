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

// secretEntry matches a secret-looking key inside a line and its value: a
// dict entry ('api_token': '...'), a keyword argument (password="..."),
// an environment entry ("GITHUB_TOKEN": ...). The value is a quoted string
// or a run of characters up to a separator.
var secretEntry = lazyre.New(`(?i)(['"]?[\w-]*(?:secret|token|password|passwd|api_key|private_key|db_url|client_id)[\w-]*['"]?\s*[:=]\s*)('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[^,}\])\s]+)`)

// RedactConfig replaces the values of secret-looking assignments in a
// config text with "<redacted>", line by line, so snapshots and diffs never
// carry secrets: the value of an assignment to a secret-looking name, and
// the lines it continues on (an open bracket or a triple-quoted string),
// and, elsewhere, secret-looking keys' values inside a line (a service's
// api_token in a list of dicts, a token in an environment dict).
func RedactConfig(text string) string {
	if !keyword.MayContain(text, secretWords) {
		return text
	}
	lines := strings.Split(text, "\n")
	var cont valueScan // the value a redacted assignment left open
	for i, ln := range lines {
		if cont.open() {
			cont.feed(ln)
			lines[i] = ln[:len(ln)-len(strings.TrimLeft(ln, " \t"))] + "<redacted>"
			continue
		}
		if strings.HasPrefix(strings.TrimSpace(ln), "#") {
			continue
		}
		if !strings.ContainsAny(ln, "=:") || !keyword.MayContain(ln, secretWords) {
			continue // the patterns need both: skip the regexps
		}
		if m := secretLine().FindStringSubmatch(ln); m != nil {
			lines[i] = m[1] + "<redacted>"
			cont = valueScan{}
			cont.feed(m[4])
			continue
		}
		lines[i] = secretEntry().ReplaceAllString(ln, "${1}<redacted>")
	}
	return strings.Join(lines, "\n")
}

// valueScan follows a Python value across lines: the brackets open and
// the triple-quoted string it is in, if any.
type valueScan struct {
	depth int
	quote string // three quote marks while inside a triple-quoted string
}

// open reports whether the value continues on the next line.
func (v *valueScan) open() bool { return v.depth > 0 || v.quote != "" }

// feed scans one line of the value.
func (v *valueScan) feed(ln string) {
	for i := 0; i < len(ln); i++ {
		if v.quote != "" {
			if ln[i] == '\\' {
				i++
			} else if strings.HasPrefix(ln[i:], v.quote) {
				i += len(v.quote) - 1
				v.quote = ""
			}
			continue
		}
		switch c := ln[i]; c {
		case '#':
			return
		case '(', '[', '{':
			v.depth++
		case ')', ']', '}':
			v.depth = max(v.depth-1, 0)
		case '\'', '"':
			if q := strings.Repeat(string(c), 3); strings.HasPrefix(ln[i:], q) {
				v.quote = q
				i += 2
				continue
			}
			// A one-line string: skip to its end.
			for i++; i < len(ln) && ln[i] != c; i++ {
				if ln[i] == '\\' {
					i++
				}
			}
		}
	}
}

// secretWords are the key words of secretLine, lower case.
var secretWords = []string{"secret", "token", "password", "passwd", "api_key", "private_key", "db_url", "client_id"}
