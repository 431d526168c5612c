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

// TestAllowConfigAdvice: with GitHub login and no allow config HUB110
// names the narrow options of GitHubOAuthenticator (from the trait
// catalog of the installed oauthenticator 16.3.1) and says that allow_all
// admits every GitHub account; OAuthenticator 16 admits the admins itself,
// so they are the ones who still get in. The demo itself sets
// github_organization_whitelist, which 16.3.1 still forwards to
// allowed_organizations: it has an allow config and gets no HUB110.
func TestAllowConfigAdvice(t *testing.T) {
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", demoDir)
	if h := byRule(fs, "HUB110"); len(h) != 0 {
		t.Errorf("HUB110 on the demo, whose github_organization_whitelist is an allow config: %+v", h)
	}
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.authenticator_class = 'github'\nc.Authenticator.admin_users = {'alice'}\n",
		"hub.txt":              "jupyterhub==4.1.6\noauthenticator==16.3.1\n",
	})
	_, fs = auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir, "--hub-env", filepath.Join(dir, "hub.txt"))
	h := byRule(fs, "HUB110")
	if len(h) != 1 || h[0].Fix == nil {
		t.Fatalf("HUB110: %+v", h)
	}
	if !strings.Contains(h[0].Message, "nobody but the admin users (alice)") ||
		!strings.Contains(h[0].Fix.Description, "c.GitHubOAuthenticator.allowed_organizations") ||
		!strings.Contains(h[0].Fix.Description, "allow_all = True instead admits every GitHub account") {
		t.Errorf("HUB110: %q / %q", h[0].Message, h[0].Fix.Description)
	}
}

// TestAllowConfigLocksOutAdmins pins issue 12's fact 1, read in
// jupyterhub 5.0.0: app.py merges admin_users into allowed_users only when
// allowed_users is non-empty, and auth.py's Authenticator.check_allowed is
// `allow_all or username in allowed_users`. With PAM (the default) and no
// allow config the admins are locked out too.
func TestAllowConfigLocksOutAdmins(t *testing.T) {
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.Authenticator.admin_users = {'root'}\n",
	})
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir)
	h := byRule(fs, "HUB110")
	if len(h) != 1 || !strings.Contains(h[0].Message, "nobody, not even the admin users or the existing users, can log in") ||
		strings.Contains(h[0].Message, "but the admin") || !strings.Contains(h[0].Fix.Description, "every user with a login on the hub machine") {
		t.Fatalf("HUB110: %+v", h)
	}
}

// TestNoDisruptionWithoutServers: HUB130 ("users lose their servers") only
// when the database shows something to disrupt; the real 3.0.0 hub's
// database has no running server.
func TestNoDisruptionWithoutServers(t *testing.T) {
	b, err := os.ReadFile("../../testdata/fixtures/db/jupyterhub-3.0.0.sqlite")
	if err != nil {
		t.Fatal(err)
	}
	// The fixture's one running server, stopped.
	db := filepath.Join(t.TempDir(), "jupyterhub.sqlite")
	if err := os.WriteFile(db, b, 0o644); err != nil {
		t.Fatal(err)
	}
	conn, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.Exec("UPDATE spawners SET server_id = NULL"); err != nil {
		t.Fatal(err)
	}
	conn.Close()
	dir := deployment(t, map[string]string{"jupyterhub_config.py": "c = get_config()\nc.Authenticator.allow_all = True\n"})
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir, "--db", "sqlite:///"+db)
	if h := byRule(fs, "HUB130"); len(h) != 0 {
		t.Errorf("HUB130 with no running server: %+v", h)
	}
	// Without the database the disruption cannot be ruled out.
	_, fs = auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir)
	if h := byRule(fs, "HUB130"); len(h) != 1 {
		t.Errorf("HUB130 without a database: %+v", h)
	}
}

// TestFloorNoteOnlyWhenUnmet: HUB114 ("requires Python >=3.8") stays
// when a Python is unknown (a pip freeze export does not say it).
func TestFloorNoteOnlyWhenUnmet(t *testing.T) {
	dir := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.Authenticator.allow_all = True\n",
		"hub.txt":              "jupyterhub==4.1.6\n",
	})
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir, "--hub-env", filepath.Join(dir, "hub.txt"))
	if h := byRule(fs, "HUB114"); len(h) != 1 {
		t.Errorf("HUB114 with the Python unknown: %+v", h)
	}
}

// TestFoldedFindingIsNotResolved: the hub's log warns about
// c.Authenticator.whitelist as DummyAuthenticator.whitelist. A baseline
// taken without the config has that log finding on its own (HUB405); in
// post, with the config, it is folded into the config finding (HUB102)
// and must not count as resolved. The other way round, a baseline with
// the folded finding and a post without the config finds the log event
// again: it is unchanged, not new.
func TestFoldedFindingIsNotResolved(t *testing.T) {
	log := "[I 2026-11-25 12:09:37.669 JupyterHub app:2775] Running JupyterHub version 3.0.0\n" +
		"[W 2026-11-25 12:09:37.782 JupyterHub auth:175] DummyAuthenticator.whitelist is deprecated in JupyterHub 1.2, use DummyAuthenticator.allowed_users instead\n"
	dep := deployment(t, map[string]string{
		"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.authenticator_class = 'dummy'\nc.Authenticator.whitelist = {'alice', 'bob'}\n",
		"hub.log":              log,
	})
	empty := t.TempDir()
	logPath := filepath.Join(dep, "hub.log")
	compare := func(preDir, postDir string) map[string][]string {
		t.Helper()
		snap := filepath.Join(t.TempDir(), "pre.json")
		if code, _, errs := hubaudit(t, nil, "pre", "--target", "5.5.1", "--dir", preDir, "--log", logPath, "--snapshot", snap, "--format", "json"); code > 1 {
			t.Fatalf("pre: exit %d: %s", code, errs)
		}
		_, out, errs := hubaudit(t, nil, "post", "--dir", postDir, "--log", logPath, "--baseline", snap, "--format", "json")
		var rep struct {
			Comparison map[string]any `json:"comparison"`
		}
		if err := json.Unmarshal([]byte(out), &rep); err != nil {
			t.Fatalf("post: %v\n%s", err, errs)
		}
		got := map[string][]string{}
		for _, k := range []string{"new_findings", "resolved_findings", "unchanged_findings", "not_rechecked_findings"} {
			l, _ := rep.Comparison[k].([]any)
			for _, fp := range l {
				if s, _ := fp.(string); strings.Contains(s, "whitelist") {
					got[k] = append(got[k], s)
				}
			}
		}
		return got
	}
	if got := compare(empty, dep); len(got) != 1 || len(got["unchanged_findings"]) != 1 {
		t.Errorf("baseline without config, post with it: %v; want the whitelist finding unchanged only", got)
	}
	if got := compare(dep, empty); len(got) != 1 || len(got["unchanged_findings"]) != 1 {
		t.Errorf("baseline with config, post without it: %v; want the whitelist finding unchanged only", got)
	}
	if got := compare(dep, dep); len(got) != 1 || len(got["unchanged_findings"]) != 1 {
		t.Errorf("same inputs: %v; want the whitelist finding unchanged only", got)
	}
}

// TestDeleteImpactLeavesOutConfigTokens: the real 3.0.0 hub's database
// holds a service token that the config defined (note "from config"):
// HUB211 counted it, and its service, as lost with the database; the hub
// makes it again at start.
func TestDeleteImpactLeavesOutConfigTokens(t *testing.T) {
	dir := deployment(t, map[string]string{"jupyterhub_config.py": "c = get_config()\nc.JupyterHub.services = [{'name': 'sync', 'api_token': 'not-a-real-token-0123456789abcdef'}]\n"})
	fixture, err := filepath.Abs("../../testdata/fixtures/db/jupyterhub-3.0.0.sqlite")
	if err != nil {
		t.Fatal(err)
	}
	_, fs := auditJSON(t, "pre", "--target", "5.5.1", "--dir", dir, "--db", "sqlite:///"+fixture)
	h := byRule(fs, "HUB211")
	if len(h) != 1 {
		t.Fatalf("HUB211: %+v", h)
	}
	m := h[0].Message
	if !strings.Contains(m, " 5 API tokens") || strings.Contains(m, "service") ||
		!strings.Contains(m, "not counted: 1 API token that the hub makes again from its config") {
		t.Errorf("HUB211: %q", m)
	}
}
