package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFixConfigWrite: fix-config prints the rename diff, --write keeps a
// backup copy and the rewritten config has no rename findings left.
func TestFixConfigWrite(t *testing.T) {
	dir := copyDemo(t)
	cfg := filepath.Join(dir, "jupyterhub_config.py")
	orig, _ := os.ReadFile(cfg)
	code, diff, errs := hubaudit(t, nil, "fix-config", "--target", "5.5.1", "--dir", dir)
	if code != 0 || !strings.Contains(diff, "-c.DockerSpawner.container_image = ") || !strings.Contains(diff, "+c.DockerSpawner.image = ") {
		t.Fatalf("exit %d, diff:\n%s\n%s", code, diff, errs)
	}
	if now, _ := os.ReadFile(cfg); string(now) != string(orig) {
		t.Fatal("fix-config without --write changed the file")
	}
	code, _, errs = hubaudit(t, nil, "fix-config", "--target", "5.5.1", "--dir", dir, "--write")
	if code != 0 || !strings.Contains(errs, "wrote "+cfg) {
		t.Fatalf("--write: exit %d: %s", code, errs)
	}
	backups, _ := filepath.Glob(cfg + ".bak-*")
	if len(backups) != 1 {
		t.Fatalf("backups: %v", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != string(orig) {
		t.Error("the backup is not the original")
	}
	// The rewritten config parses and no rename is left to do.
	_, out, _ := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--checks", "HUB1*", "--format", "json")
	if strings.Contains(out, "fix-config does it") {
		t.Errorf("renames left after --write:\n%s", out)
	}
	code, _, errs = hubaudit(t, nil, "fix-config", "--target", "5.5.1", "--dir", dir)
	if code != 0 || !strings.Contains(errs, "needs no renames") {
		t.Errorf("second run: exit %d: %s", code, errs)
	}
}

// TestBackupCommand copies the demo database and config into a new folder
// and verifies the copy; the deployment is left unchanged.
func TestBackupCommand(t *testing.T) {
	dir := copyDemo(t)
	before := treeHash(t, dir)
	to := filepath.Join(t.TempDir(), "backup")
	code, out, errs := hubaudit(t, nil, "backup", "--to", to, "--dir", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, out, errs)
	}
	if !strings.Contains(out, "revision 0eee8c825d24") || !strings.Contains(out, "manifest ") {
		t.Errorf("output:\n%s", out)
	}
	b, err := os.ReadFile(filepath.Join(to, "manifest.json"))
	var m struct {
		Verified bool `json:"verified"`
		Files    []struct {
			Path, Kind string
		} `json:"files"`
	}
	if err != nil || json.Unmarshal(b, &m) != nil || !m.Verified || len(m.Files) != 2 {
		t.Errorf("manifest: %s (%v)", b, err)
	}
	if treeHash(t, dir) != before {
		t.Error("backup changed the deployment")
	}
	// PostgreSQL: nothing is dumped, the command is printed, no password.
	code, out, _ = hubaudit(t, map[string]string{"HUBAUDIT_DB_URL": "postgresql://hub:pw123@db.example.org:5433/jupyterhub"}, "backup", "--to", filepath.Join(t.TempDir(), "pg"), "--dir", dir)
	if code != 0 || !strings.Contains(out, "pg_dump") || strings.Contains(out, "pw123") {
		t.Errorf("postgres backup: exit %d:\n%s", code, out)
	}
}
