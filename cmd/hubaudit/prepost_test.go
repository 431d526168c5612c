package main

import (
	"database/sql"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

type reportJSON struct {
	Verdict  string `json:"verdict"`
	Findings []struct {
		RuleID   string `json:"rule_id"`
		Severity string `json:"severity"`
		Message  string `json:"message"`
		Location struct {
			Subject string `json:"subject"`
		} `json:"location"`
	} `json:"findings"`
	Comparison *struct {
		Revision struct{ Old, New string } `json:"revision"`
		Counts   []struct {
			Name     string
			Old, New int64
		} `json:"counts"`
		ConfigDiff string   `json:"config_diff"`
		New        []string `json:"new_findings"`
		Resolved   []string `json:"resolved_findings"`
	} `json:"comparison"`
}

func decode(t *testing.T, out string) reportJSON {
	t.Helper()
	var r reportJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("not a JSON report: %v\n%s", err, out)
	}
	return r
}

func (r reportJSON) has(id string) bool {
	for _, f := range r.Findings {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// TestPrePostBaseline runs pre with --snapshot on a copy of the demo, then
// post against the snapshot: first with nothing changed (no data lost),
// then after a user is deleted and the config edited behind hubaudit's back.
func TestPrePostBaseline(t *testing.T) {
	dir := copyDemo(t)
	// No logs: the demo log has errors after its last start, which post
	// would rightly count against the upgrade.
	os.WriteFile(filepath.Join(dir, ".hubaudit.yaml"), []byte("inputs:\n  hub_env: envs/hub-requirements.txt\n  user_env: [image=envs/user-image.json]\n"), 0o644)
	snap := filepath.Join(t.TempDir(), "pre.json")
	code, _, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", dir, "--snapshot", snap, "--format", "json")
	if code != exitFindings {
		t.Fatalf("pre: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(snap)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "3f1c9e0b7d2a4c5e8f6a1b2c3d4e5f6a7b8c9d0e") {
		t.Error("the snapshot holds the OAuth client secret")
	}

	code, out, errs := hubaudit(t, nil, "post", "--target", "4.1.6", "--dir", dir, "--baseline", snap, "--format", "json")
	r := decode(t, out)
	if r.has("HUB510") || r.Comparison == nil {
		t.Fatalf("post without changes: exit %d, findings %+v, comparison %v\n%s", code, r.Findings, r.Comparison, errs)
	}
	for _, c := range r.Comparison.Counts {
		if c.Old != c.New {
			t.Errorf("count %s changed %d -> %d with nothing done", c.Name, c.Old, c.New)
		}
	}
	if r.Comparison.Revision.Old != "0eee8c825d24" || r.Comparison.Revision.New != "0eee8c825d24" || r.Comparison.ConfigDiff != "" {
		t.Errorf("comparison %+v", r.Comparison)
	}

	// Delete a user and change the config behind hubaudit's back.
	db, err := sql.Open("sqlite", filepath.Join(dir, "jupyterhub.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`DELETE FROM users WHERE name = 'dave'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	cfg := filepath.Join(dir, "jupyterhub_config.py")
	src, _ := os.ReadFile(cfg)
	os.WriteFile(cfg, []byte(strings.Replace(string(src), `c.Spawner.mem_limit = "2G"`, `c.Spawner.mem_limit = "4G"`, 1)), 0o644)

	code, out, _ = hubaudit(t, nil, "post", "--target", "4.1.6", "--dir", dir, "--baseline", snap, "--format", "json")
	r = decode(t, out)
	if code != exitFindings || r.Verdict != "failed" {
		t.Errorf("post after a deletion: exit %d verdict %s", code, r.Verdict)
	}
	var lost string
	for _, f := range r.Findings {
		if f.RuleID == "HUB510" && f.Location.Subject == "db:count/users" {
			lost = f.Message
		}
	}
	if lost != "users dropped from 6 to 5 since the baseline (1 lost)" {
		t.Errorf("HUB510 users: %q", lost)
	}
	if !strings.Contains(r.Comparison.ConfigDiff, "-c.Spawner.mem_limit = \"2G\"\n+c.Spawner.mem_limit = \"4G\"") {
		t.Errorf("config diff:\n%s", r.Comparison.ConfigDiff)
	}
	// Golden files of the baseline comparison in table, JSON and Markdown,
	// run from the deployment directory as an admin would.
	goldenDir, _ := filepath.Abs("testdata")
	t.Chdir(dir)
	for _, format := range []string{"table", "json", "markdown"} {
		_, out, _ := hubaudit(t, nil, "post", "--target", "4.1.6", "--baseline", snap, "--format", format)
		checkGolden(t, filepath.Join(goldenDir, "post-baseline."+format+".golden"), normalize(strings.ReplaceAll(out, dir, "<deploy>")), "")
	}
	// The same comparison in the table and Markdown.
	_, table, _ := hubaudit(t, nil, "post", "--target", "4.1.6", "--dir", dir, "--baseline", snap)
	if !strings.Contains(table, "users: 6 -> 5  (LOST)") {
		t.Errorf("table lacks the loss:\n%s", table)
	}
	_, md, _ := hubaudit(t, nil, "post", "--target", "4.1.6", "--dir", dir, "--baseline", snap, "--format", "markdown")
	if !strings.Contains(md, "| users | 6 | 5 ❌ lost |") {
		t.Errorf("markdown lacks the loss:\n%s", md)
	}
}

// TestVersionSourcesDisagree: the hub environment says 5.5.1 but the
// database is still at the 4.x head, so upgrade-db was never run.
func TestVersionSourcesDisagree(t *testing.T) {
	dir := copyDemo(t)
	freeze := filepath.Join(dir, "envs", "hub-requirements.txt")
	src, _ := os.ReadFile(freeze)
	os.WriteFile(freeze, []byte(strings.Replace(string(src), "jupyterhub==4.1.6", "jupyterhub==5.5.1", 1)), 0o644)
	code, out, _ := hubaudit(t, nil, "post", "--target", "5.5.1", "--dir", dir, "--checks", "HUB501,HUB512", "--format", "json")
	r := decode(t, out)
	var msgs []string
	for _, f := range r.Findings {
		msgs = append(msgs, f.RuleID+": "+f.Message)
	}
	want := []string{
		"HUB501: the hub environment " + freeze + " has jupyterhub 5.5.1 (schema head 4621fec11365) but the database is at revision 0eee8c825d24 (jupyterhub 4.0.0 to 4.1.6): upgrade-db was not run for the installed version",
		"HUB501: the logs show jupyterhub 4.1.6 running but the hub environment " + freeze + " has 5.5.1: the hub was not restarted after the package changed, or the logs are old",
		"HUB512: the database is at revision 0eee8c825d24 but the target 5.5.1 needs 4621fec11365",
	}
	if code != 1 || strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("exit %d, findings:\n%s\nwant:\n%s", code, strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}
