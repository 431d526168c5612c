package db

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" database/sql driver

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// sqliteMagic starts every SQLite 3 database file.
var sqliteMagic = []byte("SQLite format 3\x00")

// sqliteHeader reads the first 100 bytes of a database file: whether it
// is a SQLite database, and its journal mode (bytes 18 and 19 are 2 for
// WAL). An empty file is a valid, empty database.
func sqliteHeader(path string) (isDB, wal, empty bool, err error) {
	fh, err := os.Open(path)
	if err != nil {
		return false, false, false, err
	}
	defer fh.Close()
	hdr := make([]byte, 100)
	n, err := io.ReadFull(fh, hdr)
	if n == 0 && (err == io.EOF || err == nil) {
		return true, false, true, nil
	}
	if n < 100 || !bytes.Equal(hdr[:16], sqliteMagic) {
		return false, false, false, nil
	}
	return true, hdr[18] == 2 && hdr[19] == 2, false, nil
}

// sqliteDSN builds the modernc.org/sqlite DSN that opens path without
// writing anything: mode=ro always; for a WAL database that no process
// has open (no -wal file) immutable=1 too, so that SQLite neither creates
// the -shm/-wal files nor needs a writable directory. When a -wal file
// exists the hub is (or was) using the database and its latest commits
// are in that file, so immutable would read stale data: then the WAL is
// read through the -shm index, as any reader does.
func sqliteDSN(path string, wal bool) string {
	q := url.Values{}
	q.Set("mode", "ro")
	if wal && !exists(path+"-wal") {
		q.Set("immutable", "1")
	}
	q.Add("_pragma", "busy_timeout(5000)")
	q.Add("_pragma", "query_only(1)")
	// Read the first 64 MiB through a read-only memory map instead of a
	// pread per page (the audit scans whole tables and the integrity
	// check the whole file); the cap keeps memory bounded whatever the
	// file size.
	q.Add("_pragma", "mmap_size(67108864)")
	return (&url.URL{Scheme: "file", OmitHost: true, Path: path, RawQuery: q.Encode()}).String()
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

func openSQLite(ctx context.Context, u *URL, opts *Options, f *Facts) (*session, error) {
	path := u.SQLitePath(opts.Dir)
	if path == "" {
		return nil, fmt.Errorf("database URL %s is an in-memory sqlite database, which holds nothing between hub runs", Redact(u.Raw))
	}
	st, err := os.Stat(path)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("sqlite database %s does not exist", path)
		}
		return nil, fmt.Errorf("sqlite database %s: %w", path, err)
	}
	if st.IsDir() {
		return nil, fmt.Errorf("sqlite database %s is a directory", path)
	}
	isDB, wal, empty, err := sqliteHeader(path)
	if err != nil {
		return nil, fmt.Errorf("sqlite database %s cannot be read: %w", path, err)
	}
	if !isDB {
		return nil, fmt.Errorf("%s is not a SQLite database (no SQLite header)", path)
	}
	f.SQLite = &SQLiteFacts{Path: path, Size: st.Size(), JournalMode: "delete", FreeBytes: -1, WALPresent: exists(path + "-wal")}
	if wal {
		f.SQLite.JournalMode = "wal"
	}
	if empty {
		// Opening an empty file would make SQLite treat it as a new
		// database; there is nothing to read.
		f.SQLite.IntegrityCheck = "ok"
		return &session{dialect: "sqlite"}, errEmpty
	}
	dsn := sqliteDSN(path, wal)
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	s, err := begin(ctx, db, "sqlite", opts.timeout())
	if err != nil {
		return nil, fmt.Errorf("sqlite database %s: %w", path, err)
	}
	s.dsn = dsn
	return s, nil
}

// errEmpty says the sqlite file is empty (0 bytes): facts are complete
// without any query.
var errEmpty = errors.New("empty sqlite file")

// backupName matches upgrade-db's backup names: "<file>.<YYYY-mm-dd-HHMMSS>"
// and, when that is taken, "<file>..<YYYY-mm-dd-HHMMSS>.<1-9>".
var backupName = lazyre.New(`^\.\.?(\d{4}-\d{2}-\d{2}-\d{6})(?:\.(\d))?$`)

// sqliteFileFacts adds what the file system says about the database file:
// owner, writability, free space, and upgrade-db backups next to it.
func sqliteFileFacts(ctx context.Context, sf *SQLiteFacts, now time.Time) {
	dir := filepath.Dir(sf.Path)
	if st, err := os.Stat(sf.Path); err == nil {
		if sys, ok := st.Sys().(*syscall.Stat_t); ok {
			sf.OwnerUID = int(sys.Uid)
			sf.OwnerWritable = st.Mode().Perm()&0o200 != 0
			if dst, err := os.Stat(dir); err == nil {
				if dsys, ok := dst.Sys().(*syscall.Stat_t); ok {
					sf.DirOwnerWritable = ownerCanWrite(dst.Mode().Perm(), dsys, sys.Uid, sys.Gid)
				}
			}
		}
	}
	sf.FreeBytes = freeBytes(dir)
	base := filepath.Base(sf.Path)
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if len(name) <= len(base) || name[:len(base)] != base {
			continue
		}
		m := backupName().FindStringSubmatch(name[len(base):])
		if m == nil {
			continue
		}
		t, err := time.ParseInLocation("2006-01-02-150405", m[1], time.Local)
		if err != nil {
			continue
		}
		b := SQLiteBackup{Path: filepath.Join(dir, name), Time: t.Format(time.RFC3339), AgeHours: roundHours(now.Sub(t))}
		if info, err := e.Info(); err == nil {
			b.Size = info.Size()
		}
		sf.Backups = append(sf.Backups, b)
	}
	sort.SliceStable(sf.Backups, func(i, j int) bool { return sf.Backups[i].Time > sf.Backups[j].Time })
	// Only the newest backup's revision matters; read it alone.
	if len(sf.Backups) > 0 {
		sf.Backups[0].Revision = sqliteRevision(ctx, sf.Backups[0].Path)
	}
}

func roundHours(d time.Duration) float64 {
	return float64(int64(d.Hours()*10+0.5)) / 10
}

// ownerCanWrite reports whether the user uid (with primary group gid) may
// create files in a directory with the given mode and owner.
func ownerCanWrite(perm os.FileMode, dir *syscall.Stat_t, uid, gid uint32) bool {
	switch {
	case uid == 0:
		return true
	case dir.Uid == uid:
		return perm&0o200 != 0
	case dir.Gid == gid:
		return perm&0o020 != 0
	}
	return perm&0o002 != 0
}

func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize)
}

// sqliteRevision reads the alembic revision of a sqlite file read-only,
// "" when it has none or cannot be read.
func sqliteRevision(ctx context.Context, path string) string {
	isDB, wal, empty, err := sqliteHeader(path)
	if err != nil || !isDB || empty {
		return ""
	}
	db, err := sql.Open("sqlite", sqliteDSN(path, wal))
	if err != nil {
		return ""
	}
	defer db.Close()
	var rev string
	if err := db.QueryRowContext(ctx, "SELECT version_num FROM alembic_version LIMIT 1").Scan(&rev); err != nil {
		return ""
	}
	return rev
}

// quickCheck runs PRAGMA quick_check on its own read-only connection and
// returns "ok" or the first problem.
func quickCheck(ctx context.Context, dsn string) string {
	d, err := sql.Open("sqlite", dsn)
	if err != nil {
		return "quick_check failed: " + err.Error()
	}
	defer d.Close()
	var res string
	if err := d.QueryRowContext(ctx, "PRAGMA quick_check(1)").Scan(&res); err != nil {
		return "quick_check failed: " + err.Error()
	}
	return res
}
