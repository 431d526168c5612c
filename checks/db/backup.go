package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"time"
)

// DirInUseError is Backup refusing a destination that is not empty: a
// backup never mixes with or overwrites an earlier one.
type DirInUseError struct{ Dir string }

// Error says which directory is in use.
func (e *DirInUseError) Error() string {
	return fmt.Sprintf("backup: %s is not empty (an earlier backup?); a backup is only written into a new or empty directory", e.Dir)
}

// BackupFile is one file written by Backup.
type BackupFile struct {
	// Path is the copy; Source what it was copied from.
	Path   string `json:"path"`
	Source string `json:"source"`
	Kind   string `json:"kind"` // "database", "config" or "cookie_secret"
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// BackupResult is the manifest of a backup, also written as
// manifest.json in the backup directory.
type BackupResult struct {
	Dialect string `json:"dialect"`
	// URL is the database URL, password redacted.
	URL string `json:"url"`
	// Dir is the backup directory; Manifest the manifest file in it.
	Dir      string `json:"dir"`
	Manifest string `json:"manifest"`
	Created  string `json:"created"`
	// Files are the copies made, with their checksums.
	Files []BackupFile `json:"files"`
	// Revision and Counts are the source database's, read before the copy.
	Revision string           `json:"revision"`
	Counts   map[string]int64 `json:"counts,omitempty"`
	// Verified is true when the copy opened, passed integrity_check and
	// has the same revision and row counts; Verification says what was
	// checked, Problems what differed.
	Verified     bool     `json:"verified"`
	Verification []string `json:"verification,omitempty"`
	Problems     []string `json:"problems,omitempty"`
	// Command is, for PostgreSQL and MySQL, the dump command to run (it
	// is not run, and holds no password).
	Command string `json:"command,omitempty"`
	// Warnings are problems that did not stop the backup.
	Warnings []string `json:"warnings,omitempty"`
}

// Backup makes a consistent copy of a SQLite database into toDir (with the
// SQLite online copy, VACUUM INTO, which is safe while the hub runs and
// never writes next to the database), copies the config files, verifies
// the copy and writes manifest.json. For PostgreSQL and MySQL nothing is
// dumped: the result's Command is the exact pg_dump/mysqldump invocation
// (password redacted) and only the config files are copied.
func Backup(ctx context.Context, opts Options, toDir string, configFiles []string) (*BackupResult, error) {
	if toDir == "" {
		return nil, fmt.Errorf("backup: no destination directory")
	}
	raw := opts.URL
	if raw == "" {
		raw = DefaultURL
	}
	u, err := ParseURL(raw)
	if err != nil {
		return nil, err
	}
	dir, err := filepath.Abs(toDir)
	if err != nil {
		return nil, err
	}
	res := &BackupResult{Dialect: u.Dialect, URL: Redact(u.Raw), Dir: dir, Created: opts.now().UTC().Format(time.RFC3339)}
	if u.Dialect == "sqlite" {
		src := u.SQLitePath(opts.Dir)
		if src == "" {
			return nil, fmt.Errorf("backup: %s is an in-memory database", Redact(u.Raw))
		}
		if filepath.Dir(src) == dir {
			return nil, fmt.Errorf("backup: %s is the database's own directory; choose another (a backup is never written in place)", dir)
		}
	}
	if ents, err := os.ReadDir(dir); err == nil && len(ents) > 0 {
		return nil, &DirInUseError{Dir: dir}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("backup: %w", err)
	}
	src, err := Collect(ctx, opts)
	if err != nil {
		if u.Dialect == "sqlite" {
			return nil, err
		}
		res.Warnings = append(res.Warnings, "could not read the database to record its revision: "+err.Error())
	} else {
		res.Revision, res.Counts = src.Revision, src.Counts
	}
	switch u.Dialect {
	case "sqlite":
		if err := backupSQLite(ctx, u, &opts, src, res); err != nil {
			return nil, err
		}
	default:
		res.Command = DumpCommand(u, filepath.Join(dir, defaultDumpName(u, res.Revision, opts.now())))
	}
	used := map[string]int{}
	for _, cf := range configFiles {
		// Two config files may share a name (jupyterhub_config.py and
		// jupyterhub_config.d/...): number the later ones.
		name := filepath.Base(cf)
		if n := used[name]; n > 0 {
			name = fmt.Sprintf("%d-%s", n, name)
		}
		used[filepath.Base(cf)]++
		bf, err := copyFile(cf, filepath.Join(dir, "config", name))
		if err != nil {
			return nil, fmt.Errorf("backup: config file: %w", err)
		}
		bf.Kind = "config"
		res.Files = append(res.Files, bf)
	}
	if opts.CookieSecretFile != "" {
		// Copied as it is (0600); its content is never printed.
		bf, err := copyFile(opts.CookieSecretFile, filepath.Join(dir, "secret", filepath.Base(opts.CookieSecretFile)))
		if err != nil {
			return nil, fmt.Errorf("backup: cookie secret file: %w", err)
		}
		bf.Kind = "cookie_secret"
		res.Files = append(res.Files, bf)
	}
	res.Manifest = filepath.Join(dir, "manifest.json")
	b, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(res.Manifest, append(b, '\n'), 0o600); err != nil {
		return nil, fmt.Errorf("backup: manifest: %w", err)
	}
	return res, nil
}

func backupSQLite(ctx context.Context, u *URL, opts *Options, src *Facts, res *BackupResult) error {
	path := src.SQLite.Path
	dst := filepath.Join(res.Dir, filepath.Base(path))
	if _, err := os.Lstat(dst); err == nil {
		return fmt.Errorf("backup: %s already exists; choose an empty directory", dst)
	}
	if src.Empty {
		f, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		f.Close()
	} else {
		// VACUUM INTO reads one consistent snapshot (a read transaction)
		// and writes a fresh, compact file; the source is opened mode=ro.
		_, wal, _, err := sqliteHeader(path)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		q := url.Values{}
		q.Set("mode", "ro")
		if wal && !exists(path+"-wal") {
			q.Set("immutable", "1")
		}
		q.Add("_pragma", "busy_timeout(5000)")
		dsn := (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode()}).String()
		d, err := sql.Open("sqlite", dsn)
		if err != nil {
			return fmt.Errorf("backup: %w", err)
		}
		defer d.Close()
		if _, err := d.ExecContext(ctx, "VACUUM INTO ?", dst); err != nil {
			_ = os.Remove(dst)
			return fmt.Errorf("backup: copying %s: %w", path, err)
		}
		_ = os.Chmod(dst, 0o600)
	}
	bf, err := hashFile(dst)
	if err != nil {
		return err
	}
	bf.Source, bf.Kind = path, "database"
	res.Files = append(res.Files, bf)
	// Verify: the copy opens, passes the full integrity check, and has
	// the source's revision and counts.
	copyFacts, err := Collect(ctx, Options{URL: "sqlite:///" + dst, KB: opts.KB, Timeout: opts.Timeout, Now: opts.Now})
	if err != nil {
		res.Problems = append(res.Problems, "the copy does not open: "+err.Error())
		return nil
	}
	res.Verification = append(res.Verification, "copy opens read-only")
	if !src.Empty {
		ic := integrityCheck(ctx, dst)
		if ic != "ok" {
			res.Problems = append(res.Problems, "integrity_check of the copy: "+ic)
		} else {
			res.Verification = append(res.Verification, "integrity_check: ok")
		}
	}
	if copyFacts.Revision != src.Revision {
		res.Problems = append(res.Problems, fmt.Sprintf("revision of the copy %q differs from the source's %q", copyFacts.Revision, src.Revision))
	} else {
		res.Verification = append(res.Verification, fmt.Sprintf("same revision %q", src.Revision))
	}
	var diffs []string
	for k, v := range src.Counts {
		if copyFacts.Counts[k] != v && k != "expired_tokens" {
			diffs = append(diffs, fmt.Sprintf("%s %d != %d", k, copyFacts.Counts[k], v))
		}
	}
	sort.Strings(diffs)
	if len(diffs) > 0 {
		// The hub may have written between the two reads; say so.
		res.Problems = append(res.Problems, "row counts differ from the source (the hub may have written meanwhile): "+fmt.Sprint(diffs))
	} else {
		res.Verification = append(res.Verification, fmt.Sprintf("same row counts (%d tables counted)", len(src.Counts)))
	}
	res.Verified = len(res.Problems) == 0
	return nil
}

func integrityCheck(ctx context.Context, path string) string {
	d, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return err.Error()
	}
	defer d.Close()
	var s string
	if err := d.QueryRowContext(ctx, "PRAGMA integrity_check(1)").Scan(&s); err != nil {
		return err.Error()
	}
	return s
}

func copyFile(src, dst string) (BackupFile, error) {
	in, err := os.Open(src)
	if err != nil {
		return BackupFile{}, err
	}
	defer in.Close()
	if err := os.MkdirAll(filepath.Dir(dst), 0o700); err != nil {
		return BackupFile{}, err
	}
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return BackupFile{}, fmt.Errorf("%s already exists", dst)
		}
		return BackupFile{}, err
	}
	h := sha256.New()
	n, err := io.Copy(io.MultiWriter(out, h), in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return BackupFile{}, err
	}
	abs, _ := filepath.Abs(src)
	return BackupFile{Path: dst, Source: abs, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}

func hashFile(p string) (BackupFile, error) {
	f, err := os.Open(p)
	if err != nil {
		return BackupFile{}, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return BackupFile{}, err
	}
	return BackupFile{Path: p, Size: n, SHA256: hex.EncodeToString(h.Sum(nil))}, nil
}
