package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/internal/testsrv"
)

func TestBackupSQLite(t *testing.T) {
	dir := newHub(t, "5.5.1", "")
	cfg := filepath.Join(dir, "jupyterhub_config.py")
	os.WriteFile(cfg, []byte("c.Authenticator.allowed_users = {'alice'}\n"), 0o600)
	before := snapshot(t, dir)
	to := filepath.Join(t.TempDir(), "bk")
	res, err := Backup(context.Background(), Options{Dir: dir, Now: pinned}, to, []string{cfg})
	if err != nil {
		t.Fatal(err)
	}
	if after := snapshot(t, dir); after != before {
		t.Fatalf("backup changed the hub directory:\n%s\n%s", before, after)
	}
	if !res.Verified || len(res.Problems) != 0 || res.Revision != "4621fec11365" || res.Counts["users"] != 6 {
		t.Fatalf("result %+v", res)
	}
	if len(res.Files) != 2 || res.Files[0].Kind != "database" || res.Files[1].Kind != "config" || len(res.Files[0].SHA256) != 64 {
		t.Fatalf("files %+v", res.Files)
	}
	// The manifest is on disk and matches the copy's checksum.
	var m BackupResult
	b, err := os.ReadFile(filepath.Join(to, "manifest.json"))
	if err != nil || json.Unmarshal(b, &m) != nil || m.Files[0].SHA256 != res.Files[0].SHA256 {
		t.Fatalf("manifest: %v %s", err, b)
	}
	h, _ := hashFile(filepath.Join(to, "jupyterhub.sqlite"))
	if h.SHA256 != res.Files[0].SHA256 {
		t.Errorf("copy checksum %s != manifest %s", h.SHA256, res.Files[0].SHA256)
	}
	// A second backup into the same directory is refused, not overwritten.
	var inUse *DirInUseError
	if _, err := Backup(context.Background(), Options{Dir: dir}, to, nil); !errors.As(err, &inUse) || inUse.Dir != to {
		t.Errorf("second backup: %v", err)
	}
	// Never in place.
	if _, err := Backup(context.Background(), Options{Dir: dir}, dir, nil); err == nil || !strings.Contains(err.Error(), "in place") {
		t.Errorf("backup into the database directory: %v", err)
	}
}

// TestBackupWhileHubWrites copies a WAL database that a writer holds
// open: the copy has the commits still in the -wal file.
func TestBackupWhileHubWrites(t *testing.T) {
	dir := newHub(t, "4.1.6", "")
	path := filepath.Join(dir, "jupyterhub.sqlite")
	hub, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(wal)&_pragma=wal_autocheckpoint(0)")
	if err != nil {
		t.Fatal(err)
	}
	defer hub.Close()
	hub.SetMaxOpenConns(1)
	if _, err := hub.Exec("INSERT INTO groups (id, name) VALUES (77, 'late')"); err != nil {
		t.Fatal(err)
	}
	res, err := Backup(context.Background(), Options{Dir: dir}, filepath.Join(t.TempDir(), "bk"), nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Verified || res.Counts["groups"] != 3 {
		t.Fatalf("result %+v", res)
	}
	copyFacts, err := Collect(context.Background(), Options{URL: filepath.Join(res.Dir, "jupyterhub.sqlite")})
	if err != nil || copyFacts.Counts["groups"] != 3 || copyFacts.SQLite.JournalMode != "delete" {
		t.Fatalf("copy: %+v %v", copyFacts, err)
	}
}

func TestBackupServerGivesCommand(t *testing.T) {
	s := testsrv.SharedPostgres(t)
	url, _ := serverHub(t, s, "postgresql", "5.5.1")
	to := filepath.Join(t.TempDir(), "bk")
	res, err := Backup(context.Background(), Options{URL: url + "?sslmode=disable", Now: pinned}, to, nil)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := ParseURL(url)
	if !strings.HasPrefix(res.Command, "pg_dump --host=127.0.0.1 --port=") || !strings.Contains(res.Command, "--format=custom --file="+to+"/jupyterhub-4621fec11365-20260304-050607.dump") || strings.Contains(res.Command, u.Password) {
		t.Errorf("command %q", res.Command)
	}
	b, _ := os.ReadFile(res.Manifest)
	if strings.Contains(string(b), u.Password) || len(res.Files) != 0 {
		t.Errorf("manifest leaks the password or copied something: %s", b)
	}
}
