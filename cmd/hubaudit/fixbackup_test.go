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

// Issue 11: after `hubaudit backup --to ./hubaudit-backup` succeeded, pre
// still said HUB205 "no backup found", and running the backup again
// exited 3. Now the backup counts, a second one into the same directory is
// a usage error (exit 2) with a hint, and the cookie secret is copied only
// when asked, its content never printed.
func TestBackupCounts(t *testing.T) {
	dir := copyDemo(t)
	// The demo suppresses HUB205; this test wants it.
	if err := os.WriteFile(filepath.Join(dir, ".hubaudit.yaml"), []byte("inputs:\n  hub_env: envs/hub-requirements.txt\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	hub205 := func(args ...string) string {
		t.Helper()
		_, out, errs := hubaudit(t, nil, append([]string{"pre", "--target", "5.5.1", "--dir", dir, "--checks", "HUB205", "--format", "json"}, args...)...)
		r := decode(t, out)
		for _, f := range r.Findings {
			if f.RuleID == "HUB205" {
				return f.Message
			}
		}
		if errs != "" {
			t.Logf("stderr: %s", errs)
		}
		return ""
	}
	if hub205() == "" {
		t.Fatal("the demo without a backup has no HUB205 finding")
	}
	to := filepath.Join(dir, "hubaudit-backup")
	const secret = "c0ffee0123456789abcdef0123456789c0ffee0123456789abcdef0123456789"
	if err := os.WriteFile(filepath.Join(dir, "jupyterhub_cookie_secret"), []byte(secret+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errs := hubaudit(t, nil, "backup", "--to", to, "--dir", dir)
	if code != 0 {
		t.Fatalf("backup: exit %d: %s\n%s", code, out, errs)
	}
	if _, err := os.Stat(filepath.Join(to, "secret")); err == nil {
		t.Error("the cookie secret was copied without --cookie-secret")
	}
	if msg := hub205(); msg != "" {
		t.Errorf("after hubaudit backup into the deployment: HUB205 %q", msg)
	}

	// The same backup named with --backup from elsewhere counts too.
	elsewhere := filepath.Join(t.TempDir(), "bk")
	if code, out, errs := hubaudit(t, nil, "backup", "--to", elsewhere, "--dir", dir, "--cookie-secret"); code != 0 {
		t.Fatalf("backup --cookie-secret: exit %d: %s\n%s", code, out, errs)
	} else if strings.Contains(out+errs, secret) || !strings.Contains(out, "content not shown") {
		t.Errorf("backup --cookie-secret output:\n%s%s", out, errs)
	}
	if b, err := os.ReadFile(filepath.Join(elsewhere, "secret", "jupyterhub_cookie_secret")); err != nil || strings.TrimSpace(string(b)) != secret {
		t.Errorf("cookie secret copy: %q, %v", b, err)
	}
	if err := os.RemoveAll(to); err != nil {
		t.Fatal(err)
	}
	if hub205() == "" {
		t.Error("a backup outside the deployment counts without --backup")
	}
	if msg := hub205("--backup", elsewhere); msg != "" {
		t.Errorf("with --backup %s: HUB205 %q", elsewhere, msg)
	}

	// Again into the same directory: exit 2 with a hint, nothing changed.
	manifest, _ := os.ReadFile(filepath.Join(elsewhere, "manifest.json"))
	code, out, errs = hubaudit(t, nil, "backup", "--to", elsewhere, "--dir", dir)
	if code != exitUsage || !strings.Contains(errs, "not empty") || !strings.Contains(errs, "hint: back up into a new directory") {
		t.Errorf("second backup into %s: exit %d\n%s%s", elsewhere, code, out, errs)
	}
	if now, _ := os.ReadFile(filepath.Join(elsewhere, "manifest.json")); string(now) != string(manifest) {
		t.Error("the second backup changed the first one's manifest")
	}

	// A copy that no longer matches (changed after the backup) does not
	// count, and HUB205 says why.
	copyPath := filepath.Join(elsewhere, "jupyterhub.sqlite")
	f, err := os.OpenFile(copyPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	f.Write([]byte("x"))
	f.Close()
	if msg := hub205("--backup", elsewhere); !strings.Contains(msg, "does not count") || !strings.Contains(msg, "sha256") {
		t.Errorf("a changed copy: HUB205 %q", msg)
	}
}
