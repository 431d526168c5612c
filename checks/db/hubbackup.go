package db

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// HubauditBackup is a directory written by `hubaudit backup`, checked
// against the live database: its manifest names this database as the
// source, the copy's sha256 is the manifest's, and the copy's revision is
// the live one.
type HubauditBackup struct {
	// Dir is the backup directory, Path the database copy in it.
	Dir  string `json:"dir"`
	Path string `json:"path"`
	// Created is the manifest's time (RFC 3339); AgeHours its age at
	// collection time.
	Created  string  `json:"created"`
	AgeHours float64 `json:"age_hours"`
	// Revision is the copy's alembic revision, read from the copy.
	Revision string `json:"revision"`
	// Matches is true when the copy is this database's, unchanged since
	// the backup (sha256), and at the live revision; Problems say why not.
	Matches  bool     `json:"matches"`
	Problems []string `json:"problems,omitempty"`
}

// findHubauditBackups looks for `hubaudit backup` directories (a folder
// holding manifest.json) among the named dirs and the immediate
// subfolders of the deployment directory and of the database's
// directory, and checks each against the live database; newest first.
func findHubauditBackups(ctx context.Context, sf *SQLiteFacts, revision string, opts *Options) {
	seen := map[string]bool{}
	var cands []string
	add := func(d string) {
		if abs, err := filepath.Abs(d); err == nil && !seen[abs] {
			seen[abs] = true
			if _, err := os.Stat(filepath.Join(abs, "manifest.json")); err == nil {
				cands = append(cands, abs)
			}
		}
	}
	for _, d := range opts.BackupDirs {
		add(d)
	}
	for _, parent := range []string{opts.Dir, filepath.Dir(sf.Path)} {
		if parent == "" {
			continue
		}
		ents, err := os.ReadDir(parent)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if e.IsDir() {
				add(filepath.Join(parent, e.Name()))
			}
		}
	}
	for _, d := range cands {
		if b, ok := checkHubauditBackup(ctx, d, sf, revision, opts); ok {
			sf.HubauditBackups = append(sf.HubauditBackups, b)
		}
	}
	sort.SliceStable(sf.HubauditBackups, func(i, j int) bool {
		return sf.HubauditBackups[i].Created > sf.HubauditBackups[j].Created
	})
}

// checkHubauditBackup reads one backup directory's manifest; ok is false
// when it is not a hubaudit backup of a SQLite database.
func checkHubauditBackup(ctx context.Context, dir string, sf *SQLiteFacts, revision string, opts *Options) (HubauditBackup, bool) {
	raw, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return HubauditBackup{}, false
	}
	var m BackupResult
	if json.Unmarshal(raw, &m) != nil || m.Dialect != "sqlite" {
		return HubauditBackup{}, false
	}
	var file *BackupFile
	for i := range m.Files {
		if m.Files[i].Kind == "database" {
			file = &m.Files[i]
		}
	}
	if file == nil {
		return HubauditBackup{}, false
	}
	b := HubauditBackup{Dir: dir, Path: filepath.Join(dir, filepath.Base(file.Path)), Created: m.Created}
	if t, err := time.Parse(time.RFC3339, m.Created); err == nil {
		b.AgeHours = roundHours(opts.now().Sub(t))
	}
	if same, _ := sameFile(file.Source, sf.Path); !same {
		b.Problems = append(b.Problems, fmt.Sprintf("it is a copy of %s, not of %s", file.Source, sf.Path))
	}
	if got, err := hashFile(b.Path); err != nil {
		b.Problems = append(b.Problems, "the copy cannot be read: "+pathErr(err))
	} else if got.SHA256 != file.SHA256 {
		b.Problems = append(b.Problems, "the copy's sha256 is not the manifest's: it changed after the backup")
	}
	if !m.Verified {
		b.Problems = append(b.Problems, "the backup was not verified when it was made")
	}
	b.Revision = sqliteRevision(ctx, b.Path)
	if b.Revision != revision {
		b.Problems = append(b.Problems, fmt.Sprintf("the copy is at revision %q, the database at %q", b.Revision, revision))
	}
	b.Matches = len(b.Problems) == 0
	return b, true
}

// sameFile reports whether two paths name the same file.
func sameFile(a, b string) (bool, error) {
	sa, err := os.Stat(a)
	if err != nil {
		return false, err
	}
	sb, err := os.Stat(b)
	if err != nil {
		return false, err
	}
	return os.SameFile(sa, sb), nil
}

// pathErr is err without the path an *os.PathError repeats.
func pathErr(err error) string {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}
