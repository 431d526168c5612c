package db

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/internal/testsrv"
)

// snapshot is the directory listing with each file's sha256 and mode.
func snapshot(t *testing.T, dir string, skip ...string) string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range ents {
		info, _ := e.Info()
		line := fmt.Sprintf("%s %v %d", e.Name(), info.Mode(), info.Size())
		keep := true
		for _, s := range skip {
			if strings.HasSuffix(e.Name(), s) {
				keep = false
			}
		}
		if keep && !e.IsDir() {
			b, err := os.ReadFile(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			sum := sha256.Sum256(b)
			line += " " + hex.EncodeToString(sum[:])
		}
		lines = append(lines, line)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

func audit(t *testing.T, dir string) *Facts {
	t.Helper()
	f, err := Collect(context.Background(), Options{Dir: dir, ConfigUsers: configUsers})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// TestReadOnly proves that an audit writes nothing: the database file's
// sha256 and the directory listing are identical before and after, for a
// rollback-journal database, a WAL database nobody has open, and a WAL
// database that another connection (the hub) holds open with commits
// still in the -wal file.
func TestReadOnly(t *testing.T) {
	t.Run("rollback-journal", func(t *testing.T) {
		dir := newHub(t, "5.5.1", "")
		before := snapshot(t, dir)
		audit(t, dir)
		if after := snapshot(t, dir); after != before {
			t.Fatalf("audit changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
	t.Run("wal-closed", func(t *testing.T) {
		dir := newHub(t, "5.5.1", "")
		setWAL(t, filepath.Join(dir, "jupyterhub.sqlite"))
		before := snapshot(t, dir)
		if strings.Contains(before, "-wal") || strings.Contains(before, "-shm") {
			t.Fatalf("setup left WAL files: %s", before)
		}
		f := audit(t, dir)
		if f.SQLite.JournalMode != "wal" || f.Counts["users"] != 6 {
			t.Errorf("journal %s users %d", f.SQLite.JournalMode, f.Counts["users"])
		}
		if after := snapshot(t, dir); after != before {
			t.Fatalf("audit changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
	t.Run("wal-held-open-by-hub", func(t *testing.T) {
		dir := newHub(t, "5.5.1", "")
		path := filepath.Join(dir, "jupyterhub.sqlite")
		hub, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(wal)&_pragma=wal_autocheckpoint(0)")
		if err != nil {
			t.Fatal(err)
		}
		defer hub.Close()
		hub.SetMaxOpenConns(1)
		// A commit that lives only in the -wal file while the hub runs.
		if _, err := hub.Exec("INSERT INTO users (id, name, admin, cookie_id) VALUES (99, 'walter', 0, 'cookie-walter')"); err != nil {
			t.Fatal(err)
		}
		// The -shm index holds readers' marks, which every WAL reader
		// updates by design; the database and the -wal must not change.
		before := snapshot(t, dir, "-shm")
		f := audit(t, dir)
		if f.Counts["users"] != 7 || !f.SQLite.WALPresent {
			t.Errorf("users = %d (wal present %v), want 7: the commit in the -wal file must be seen", f.Counts["users"], f.SQLite.WALPresent)
		}
		if after := snapshot(t, dir, "-shm"); after != before {
			t.Fatalf("audit changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
		}
		// The hub can still write after the audit.
		if _, err := hub.Exec("DELETE FROM users WHERE id = 99"); err != nil {
			t.Fatalf("hub cannot write after the audit: %v", err)
		}
	})
	t.Run("read-only-directory-as-nobody", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("SKIP: needs root to run the audit as nobody in a root-owned directory (the next case covers non-root)")
		}
		roDirAsNobody(t, false)
	})
	t.Run("wal-held-open-read-only-directory-as-nobody", func(t *testing.T) {
		if os.Geteuid() != 0 {
			t.Skip("SKIP: needs root to run the audit as nobody")
		}
		roDirAsNobody(t, true)
	})
	t.Run("read-only-directory", func(t *testing.T) {
		if os.Geteuid() == 0 {
			t.Skip("SKIP: running as root, which ignores directory permissions; see the as-nobody case")
		}
		dir := newHub(t, "5.5.1", "")
		setWAL(t, filepath.Join(dir, "jupyterhub.sqlite"))
		os.Chmod(filepath.Join(dir, "jupyterhub.sqlite"), 0o444)
		os.Chmod(dir, 0o555)
		defer os.Chmod(dir, 0o755)
		before := snapshot(t, dir)
		f := audit(t, dir)
		if f.SQLite.DirOwnerWritable || f.SQLite.OwnerWritable {
			t.Errorf("writability not reported: %+v", f.SQLite)
		}
		if after := snapshot(t, dir); after != before {
			t.Fatalf("audit changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
		}
	})
}

func setWAL(t *testing.T, path string) {
	t.Helper()
	d, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var mode string
	if err := d.QueryRow("PRAGMA journal_mode=WAL").Scan(&mode); err != nil || mode != "wal" {
		t.Fatalf("journal_mode=%s: %v", mode, err)
	}
}

// TestNotWritable reports owner writability from the file mode.
func TestNotWritable(t *testing.T) {
	dir := newHub(t, "5.5.1", "")
	p := filepath.Join(dir, "jupyterhub.sqlite")
	os.Chmod(p, 0o444)
	f := audit(t, dir)
	if f.SQLite.OwnerWritable {
		t.Errorf("0444 file reported writable by its owner")
	}
	if !f.SQLite.DirOwnerWritable {
		t.Errorf("temp dir reported not writable")
	}
}

// roDirAsNobody runs an audit as the nobody user (through a copy of this
// test binary) on a WAL database in a root-owned 0755 directory, which
// nobody cannot write: SQLite must neither need nor create -wal/-shm.
//
// With hubOpen, a writer (the hub, as root) holds the database open in WAL
// mode with a commit still in the -wal file, and nobody can write neither
// the directory nor the -wal/-shm files.
func roDirAsNobody(t *testing.T, hubOpen bool) {
	setpriv, err := exec.LookPath("setpriv")
	if err != nil {
		t.Skip("SKIP: setpriv not installed")
	}
	base, err := os.MkdirTemp("", "hubaudit-ro-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	dir := filepath.Join(base, "hub")
	os.Mkdir(dir, 0o755)
	testsrv.NewSQLiteHub(t, filepath.Join(dir, "jupyterhub.sqlite"), "5.5.1", "", testsrv.RealisticHub())
	setWAL(t, filepath.Join(dir, "jupyterhub.sqlite"))
	os.Chmod(filepath.Join(dir, "jupyterhub.sqlite"), 0o644)
	want := "users=6 journal=wal"
	if hubOpen {
		hub, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "jupyterhub.sqlite")+"?_pragma=wal_autocheckpoint(0)")
		if err != nil {
			t.Fatal(err)
		}
		defer hub.Close()
		hub.SetMaxOpenConns(1)
		if _, err := hub.Exec("INSERT INTO users (id, name, admin, cookie_id) VALUES (99, 'walter', 0, 'cookie-walter')"); err != nil {
			t.Fatal(err)
		}
		want = "users=7 journal=wal"
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(base, "db.test")
	b, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	skip := []string{}
	if hubOpen {
		skip = append(skip, "-shm")
	}
	before := snapshot(t, dir, skip...)
	cmd := exec.Command(setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", "--", bin, "-test.run=^TestAuditChild$", "-test.v")
	cmd.Env = append(os.Environ(), "HUBAUDIT_CHILD_DIR="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), want) {
		t.Fatalf("audit as nobody failed (want %s): %v\n%s", want, err, out)
	}
	if after := snapshot(t, dir, skip...); after != before {
		t.Fatalf("audit changed the directory:\nbefore:\n%s\nafter:\n%s", before, after)
	}
}

// TestAuditChild is the audit that roDirAsNobody runs in a child process.
func TestAuditChild(t *testing.T) {
	dir := os.Getenv("HUBAUDIT_CHILD_DIR")
	if dir == "" {
		t.Skip("only run as a child of TestReadOnly")
	}
	f, err := Collect(context.Background(), Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		t.Fatal("child runs as root")
	}
	fmt.Printf("users=%d journal=%s dir_writable_by_owner=%v\n", f.Counts["users"], f.SQLite.JournalMode, f.SQLite.DirOwnerWritable)
}
