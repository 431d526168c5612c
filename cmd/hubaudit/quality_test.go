package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The tests in this file are the false and noisy cases of issue 11 (items
// 5 to 8), each run through the CLI on a small deployment.

// jsonFinding is the part of a JSON report finding these tests read.
type jsonFinding struct {
	RuleID   string `json:"rule_id"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
	Location struct {
		File    string `json:"file"`
		Line    int    `json:"line"`
		Subject string `json:"subject"`
	} `json:"location"`
	Fix *struct {
		Description string `json:"description"`
	} `json:"fix"`
	Evidence []struct {
		RuleID string `json:"rule_id"`
		File   string `json:"file"`
		Line   int    `json:"line"`
	} `json:"evidence"`
}

// deployment writes files (name -> content) into a new directory.
func deployment(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// auditJSON runs hubaudit with args and --format json and returns its
// exit code and findings.
func auditJSON(t *testing.T, args ...string) (int, []jsonFinding) {
	t.Helper()
	code, out, errs := hubaudit(t, nil, append(args, "--format", "json")...)
	var rep struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("exit %d, not JSON: %v\n%s\n%s", code, err, out, errs)
	}
	return code, rep.Findings
}

func byRule(fs []jsonFinding, id string) []jsonFinding {
	var out []jsonFinding
	for _, f := range fs {
		if f.RuleID == id {
			out = append(out, f)
		}
	}
	return out
}

// TestLogFindingJoinsConfigFinding: the hub warns about
// c.Authenticator.whitelist under the class it instantiated
// (DummyAuthenticator.whitelist, as in the real 3.0.0 log of
// shared/fixtures/logs/011); the report shows the option once, as the
// config finding, with the log line as evidence.
func TestLogFindingJoinsConfigFinding(t *testing.T) {
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.authenticator_class = 'dummy'\nc.Authenticator.whitelist = {'alice', 'bob'}\n",
		"hub.log": "[I 2026-11-25 12:09:37.669 JupyterHub app:2775] Running JupyterHub version 3.0.0\n" +
			"[W 2026-11-25 12:09:37.782 JupyterHub auth:175] DummyAuthenticator.whitelist is deprecated in JupyterHub 1.2, use DummyAuthenticator.allowed_users instead\n",
	})
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir, "--log", filepath.Join(dir, "hub.log"))
	var about []jsonFinding
	for _, f := range fs {
		if strings.Contains(f.Location.Subject, "whitelist") {
			about = append(about, f)
		}
	}
	if len(about) != 1 {
		t.Fatalf("want one finding about the whitelist, got %+v", about)
	}
	f := about[0]
	if f.RuleID != "HUB102" || f.Location.Subject != "trait:Authenticator.whitelist" || f.Location.Line != 3 ||
		len(f.Evidence) != 1 || f.Evidence[0].RuleID != "HUB405" || f.Evidence[0].Line != 2 {
		t.Errorf("got %+v", f)
	}
}
