package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeProjectConfig takes the .hubaudit.yaml example from the README,
// puts it in a copy of the demo and checks that it does what the README
// says: inputs, a severity override and a suppression with a reason.
func TestReadmeProjectConfig(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	start := strings.Index(string(readme), "```yaml\ninputs:")
	if start < 0 {
		t.Fatal("README has no .hubaudit.yaml example")
	}
	block := string(readme[start+len("```yaml\n"):])
	block = block[:strings.Index(block, "```")]
	dir := copyDemo(t)
	// The example's checks line leaves the logs out; keep everything else.
	os.WriteFile(filepath.Join(dir, ".hubaudit.yaml"), []byte(block), 0o644)
	code, out, errs := hubaudit(t, nil, "pre", "--target", "latest", "--dir", dir, "--format", "json")
	r := decode(t, out)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, f := range r.Findings {
		switch {
		case f.RuleID == "HUB120" && f.Location.Subject == "secret:GitHubOAuthenticator.client_secret":
			t.Errorf("the suppressed finding is reported: %+v", f)
		case strings.HasPrefix(f.RuleID, "HUB4"):
			t.Errorf("checks: all,-HUB4* still ran %s", f.RuleID)
		case f.RuleID == "HUB902":
			t.Errorf("suppression problem: %s", f.Message)
		case f.RuleID == "HUB505" && f.Severity != "warning":
			t.Errorf("severity override not applied: %+v", f)
		}
	}
	if !r.has("HUB505") || !r.has("HUB303") {
		t.Errorf("inputs from the example not used: %+v", r.Findings)
	}
}

func TestProjectConfigErrors(t *testing.T) {
	cases := map[string]string{
		"checks: all\nbogus: 1\n":              "field bogus not found",
		"severity:\n  HUB101: fatal\n":         `"fatal" is not error, warning or note`,
		"ignore:\n  - reason: why\n":           "names no rules",
		"checks: HUB999\n":                     `"HUB999" matches no rule`,
		"inputs: [not, a, map]\n":              "cannot unmarshal",
		"inputs:\n  log: [logs/missing.log]\n": "--log",
	}
	for yaml, want := range cases {
		dir := copyDemo(t)
		os.WriteFile(filepath.Join(dir, ".hubaudit.yaml"), []byte(yaml), 0o644)
		code, _, errs := hubaudit(t, nil, "pre", "--target", "latest", "--dir", dir)
		if code != exitUsage || !strings.Contains(errs, want) {
			t.Errorf("%q: exit %d, stderr %q, want %q", yaml, code, errs, want)
		}
	}
	// A suppression without a reason is refused and reported; the finding stays.
	dir := copyDemo(t)
	os.WriteFile(filepath.Join(dir, ".hubaudit.yaml"), []byte("inputs:\n  hub_env: envs/hub-requirements.txt\nignore:\n  - rules: [HUB505]\n"), 0o644)
	_, out, _ := hubaudit(t, nil, "pre", "--target", "latest", "--dir", dir, "--format", "json")
	r := decode(t, out)
	if !r.has("HUB505") || !r.has("HUB902") {
		t.Errorf("reasonless suppression: %+v", r.Findings)
	}
	// Inline suppression in the config with a reason.
	dir = copyDemo(t)
	cfg := filepath.Join(dir, "jupyterhub_config.py")
	src, _ := os.ReadFile(cfg)
	src = []byte(strings.Replace(string(src), `c.Spawner.notebok_dir = "/home/jovyan/work"`, `c.Spawner.notebok_dir = "/home/jovyan/work"  # hubaudit: ignore[HUB101] our spawner subclass reads it`, 1))
	os.WriteFile(cfg, src, 0o644)
	_, out, _ = hubaudit(t, nil, "pre", "--target", "latest", "--dir", dir, "--format", "json", "--checks", "HUB1*,HUB9*")
	r = decode(t, out)
	if r.has("HUB101") || r.has("HUB902") {
		t.Errorf("inline suppression: %+v", r.Findings)
	}
}
