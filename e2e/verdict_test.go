package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The acceptance tests of issue 11 (verdicts an admin can trust) against
// Debian's real jupyterhub 3.0.0.

// TestPostOnAHubNotUpgraded: pre --target 5.5.1 takes the baseline; the
// hub is started again without being upgraded. post --baseline (no
// --target: it defaults to the baseline's) must fail and say the hub is
// still 3.0.0; it used to say "verified: nothing was lost". Plain post
// with no target nor baseline must not claim anything was verified.
func TestPostOnAHubNotUpgraded(t *testing.T) {
	tools := RequireTools(t)
	d, token := populate(t, tools, "")
	d.Stop(t)
	bin := requireCLI(t)
	snap := filepath.Join(t.TempDir(), "pre.json")
	common := []string{"--dir", d.Dir, "--hub-env", "/usr", "--log", d.Log, "--format", "json"}
	pre := runHubaudit(t, bin, nil, append([]string{"pre", "--target", "5.5.1", "--snapshot", snap}, common...)...)
	mustReport(t, pre)

	d.Start(t)
	defer d.Stop(t)
	env := []string{"JUPYTERHUB_API_TOKEN=" + token}
	post := runHubaudit(t, bin, env, append([]string{"post", "--baseline", snap, "--hub-url", d.URL()}, common...)...)
	r := mustReport(t, post)
	noSecrets(t, post, []string{token})
	wantEq(t, "post: target_version (from the baseline)", str(r, "target_version"), "5.5.1")
	if v := str(r, "verdict"); v != "failed" || post.code != 1 {
		t.Errorf("post on a hub not upgraded: verdict %q, exit %d, want failed/1; findings:\n%s", v, post.code, listFindings(r))
	}
	if !hasFinding(r, func(f finding) bool {
		return f.RuleID == "HUB511" && f.Severity == "error" && strings.Contains(f.Message, "still") && strings.Contains(f.Message, "3.0.0") && strings.Contains(f.Message, "5.5.1")
	}) {
		t.Errorf("post on a hub not upgraded: no HUB511 error saying it is still at 3.0.0; findings:\n%s", listFindings(r))
	}
	// The schema was not upgraded either; HUB201 was "resolved" because
	// it merely did not run.
	for _, fp := range asList(get(r, "comparison", "resolved_findings")) {
		if s := fmt.Sprint(fp); strings.HasPrefix(s, "HUB201|") || strings.HasPrefix(s, "HUB205|") {
			t.Errorf("post: %s counted as resolved although the hub was not upgraded", s)
		}
	}
	// The table says it too, in words an admin reads.
	table := runHubaudit(t, bin, env, "post", "--baseline", snap, "--hub-url", d.URL(), "--dir", d.Dir, "--hub-env", "/usr", "--log", d.Log)
	if table.code != 1 || !strings.Contains(string(table.stdout), "still") || strings.Contains(string(table.stdout), "nothing was lost") {
		t.Errorf("post --format table on a hub not upgraded: exit %d\n%s", table.code, table.stdout)
	}

	// No target and no baseline: nothing to verify against.
	plain := runHubaudit(t, bin, env, "post", "--hub-url", d.URL(), "--dir", d.Dir, "--hub-env", "/usr", "--format", "json")
	r = mustReport(t, plain)
	if v := str(r, "verdict"); v == "verified" || plain.code != 1 || !missingHas(r, "target", "--target") {
		t.Errorf("post without target or baseline: verdict %q, exit %d, missing %v; want incomplete naming the target", v, plain.code, get(r, "missing"))
	}
	if strings.Contains(string(plain.stdout), "nothing was lost") {
		t.Errorf("post without a baseline claims nothing was lost")
	}
}

// TestPostNewDatabaseOldHub: the hub environment is Debian's 3.0.0, the
// database a real 5.5.1 hub's (testdata/fixtures/db): post --target 5.5.1
// must fail on the installed version, not verify because the schema is at
// the target's head.
func TestPostNewDatabaseOldHub(t *testing.T) {
	RequireTools(t)
	bin := requireCLI(t)
	db := filepath.Join(t.TempDir(), "jupyterhub.sqlite")
	copyFile(t, filepath.Join("..", "testdata", "fixtures", "db", "jupyterhub-5.5.1.sqlite"), db)
	res := runHubaudit(t, bin, nil, "post", "--target", "5.5.1", "--dir", t.TempDir(), "--hub-env", "/usr", "--db", "sqlite:///"+db, "--format", "json")
	r := mustReport(t, res)
	if v := str(r, "verdict"); v != "failed" || res.code != 1 {
		t.Errorf("post with a 3.0.0 hub and a 5.5.1 database: verdict %q, exit %d, want failed/1; findings:\n%s", v, res.code, listFindings(r))
	}
	if !hasFinding(r, func(f finding) bool {
		return f.RuleID == "HUB511" && f.Severity == "error" && strings.Contains(f.Message, "3.0.0") && strings.Contains(f.Message, "5.5.1")
	}) {
		t.Errorf("no HUB511 error about the installed 3.0.0; findings:\n%s", listFindings(r))
	}
	if hasFinding(r, func(f finding) bool { return f.RuleID == "HUB512" }) {
		t.Errorf("HUB512 although the database is at 5.5.1's head; findings:\n%s", listFindings(r))
	}
	wantEq(t, "facts.db.revision", str(r, "facts", "db", "revision"), "4621fec11365")
}

// TestIncompleteAudits: in an empty directory, and with only a database,
// pre --target 5.5.1 said "ready". Both are incomplete, naming each
// missing input and the flag that provides it, and exit 1.
func TestIncompleteAudits(t *testing.T) {
	RequireTools(t)
	bin := requireCLI(t)
	empty := t.TempDir()
	db := filepath.Join(t.TempDir(), "hub.sqlite")
	copyFile(t, filepath.Join("..", "testdata", "fixtures", "db", "jupyterhub-3.0.0.sqlite"), db)

	cases := []struct {
		name string
		env  []string
		args []string
		// missing input -> flag
		want map[string]string
	}{
		{"empty directory", nil, []string{"pre", "--target", "5.5.1"},
			map[string]string{"config": "--config", "db": "--db"}},
		{"database only, jupyterhub on PATH", nil, []string{"pre", "--target", "5.5.1", "--db", "sqlite:///" + db},
			map[string]string{"config": "--config"}},
		// Without the jupyterhub on PATH the hub environment is missing too.
		{"database only", []string{"PATH=" + filepath.Join(empty, "nothing")}, []string{"pre", "--target", "5.5.1", "--db", "sqlite:///" + db},
			map[string]string{"config": "--config", "hub_env": "--hub-env"}},
		{"post in an empty directory", nil, []string{"post"},
			map[string]string{"db": "--db", "target": "--target or --baseline"}},
	}
	for _, c := range cases {
		for _, format := range []string{"json", "table"} {
			res := runHubauditIn(t, bin, empty, c.env, append(slices.Clone(c.args), "--format", format)...)
			if res.code != 1 {
				t.Errorf("%s (%s): exit %d, want 1\n%s%s", c.name, format, res.code, res.stdout, res.stderr)
			}
			if format == "table" {
				// The headline wraps at the terminal's width.
				out := strings.Join(strings.Fields(string(res.stdout)), " ")
				if !strings.Contains(out, "incomplete:") || strings.Contains(out, "ready:") && !strings.Contains(out, "not ready") {
					t.Errorf("%s (table): no incomplete headline:\n%s", c.name, out)
				}
				for input, flag := range c.want {
					if !strings.Contains(out, strings.ReplaceAll(input, "_", " ")+" ("+flag+")") {
						t.Errorf("%s (table): the headline does not name %s (%s):\n%s", c.name, input, flag, out)
					}
				}
				continue
			}
			r := res.report
			if r == nil {
				t.Fatalf("%s: no JSON report:\n%s", c.name, res.stderr)
			}
			got := map[string]string{}
			for _, m := range list(r, "missing") {
				mm, _ := m.(map[string]any)
				got[fmt.Sprint(mm["input"])] = fmt.Sprint(mm["flag"])
				if fmt.Sprint(mm["why"]) == "" {
					t.Errorf("%s: missing %v has no reason", c.name, mm)
				}
			}
			if v := str(r, "verdict"); v != "incomplete" || fmt.Sprint(got) != fmt.Sprint(c.want) {
				t.Errorf("%s: verdict %q, missing %v; want incomplete, missing %v", c.name, v, got, c.want)
			}
		}
	}
}

// TestPlanPostCommandReachesTheHub: the hub's own address is set with
// hub_bind_url (a port of its own) and the audit is given the hub's log by
// a relative path. The plan's commands, run exactly as printed in the
// deployment directory (the baseline pre of the backup step, then the post
// of the start step), reach that hub and read that log.
func TestPlanPostCommandReachesTheHub(t *testing.T) {
	tools := RequireTools(t)
	d := NewDeployment(t, tools, DeployOptions{HubBindURL: true})
	d.NewToken(t, d.Admin)
	d.Start(t)
	d.Stop(t)
	bin := requireCLI(t)
	logName := filepath.Base(d.Log)

	res := runHubauditIn(t, bin, d.Dir, nil, "pre", "--target", "5.5.1", "--log", logName, "--format", "json")
	r := mustReport(t, res)
	pre := planCommand(t, r, "backup", "hubaudit pre ")
	post := planCommand(t, r, "start", "hubaudit post ")
	wantURL := fmt.Sprintf("--hub-url http://127.0.0.1:%d/hub/", d.HubPort)
	if !strings.Contains(post, wantURL) || !strings.Contains(post, "--log "+logName) {
		t.Fatalf("the plan's post command does not name the hub_bind_url port %d and --log %s:\n%s", d.HubPort, logName, post)
	}

	d.Start(t)
	defer d.Stop(t)
	// The snapshot pre writes stays with the deployment, where the post
	// command looks for it.
	if out, code := runShell(t, bin, d.Dir, pre); code != 0 && code != 1 {
		t.Fatalf("%s: exit %d\n%s", pre, code, out)
	}
	out, code := runShell(t, bin, d.Dir, post)
	if code != 1 || strings.Contains(out, "HUB513") || !strings.Contains(out, "still") || !strings.Contains(out, "3.0.0") {
		t.Errorf("%s: exit %d, want 1 (the hub is still 3.0.0) with the hub reached:\n%s", post, code, out)
	}
	// The same command with --format json appended, for the facts.
	res = runHubauditIn(t, bin, d.Dir, nil, append(shellFields(t, post)[1:], "--format", "json")...)
	r = mustReport(t, res)
	wantEq(t, "post: facts.hub.reachable", get(r, "facts", "hub", "reachable"), any(true))
	wantEq(t, "post: facts.hub.version", str(r, "facts", "hub", "version"), "3.0.0")
	if hasFinding(r, func(f finding) bool { return f.RuleID == "HUB513" }) {
		t.Errorf("post as planned did not reach the hub; findings:\n%s", listFindings(r))
	}
	for _, c := range list(r, "coverage") {
		m, _ := c.(map[string]any)
		switch m["input"] {
		case "logs", "hub_probe":
			if m["status"] != "read" {
				t.Errorf("post as planned: coverage %v", m)
			}
			if m["input"] == "logs" && !strings.Contains(fmt.Sprint(m["from"]), logName) {
				t.Errorf("post as planned read the log from %v, want %s", m["from"], logName)
			}
		}
	}
}

// planCommand returns the command of plan step id that starts with prefix.
func planCommand(t *testing.T, r map[string]any, id, prefix string) string {
	t.Helper()
	for _, st := range list(r, "plan", "steps") {
		m, _ := st.(map[string]any)
		if m["id"] != id {
			continue
		}
		for _, c := range asList(m["commands"]) {
			if s := fmt.Sprint(c); strings.HasPrefix(s, prefix) {
				return s
			}
		}
	}
	t.Fatalf("the plan's %q step has no command starting with %q; plan: %v", id, prefix, get(r, "plan", "steps"))
	return ""
}

// runShell runs a plan command as an admin would paste it: with bash, in
// dir, with the hubaudit under test first on PATH.
func runShell(t *testing.T, bin, dir, command string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "bash", "-c", command)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("bash -c %q: %v", command, err)
	}
	return out.String(), 0
}

// shellFields splits a plan command into its words the way bash does
// (bash itself prints them, one JSON string each).
func shellFields(t *testing.T, command string) []string {
	t.Helper()
	out, err := exec.Command("bash", "-c", `set -- `+command+`; for a; do printf '%s\0' "$a"; done`).Output()
	if err != nil {
		t.Fatalf("splitting %q: %v", command, err)
	}
	fields := strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
	if len(fields) < 2 || fields[0] != "hubaudit" {
		t.Fatalf("%q splits into %q", command, fields)
	}
	return fields
}

// missingHas reports whether the report's missing[] names input with a
// flag that mentions flag.
func missingHas(r map[string]any, input, flag string) bool {
	for _, m := range list(r, "missing") {
		mm, _ := m.(map[string]any)
		if mm["input"] == input && strings.Contains(fmt.Sprint(mm["flag"]), flag) {
			return true
		}
	}
	return false
}

// TestConfigServiceTokenNotLost: a service with an api_token in the
// config. The real hub records that token at start (note "from config");
// HUB211 counted it as something a lost database would lose, and its
// service with it.
func TestConfigServiceTokenNotLost(t *testing.T) {
	tools := RequireTools(t)
	secret := fmt.Sprintf("e2e-service-token-%d", time.Now().UnixNano())
	d := NewDeployment(t, tools, DeployOptions{ExtraConfig: "c.JupyterHub.services = [{'name': 'sync', 'api_token': " + pyString(secret) + "}]\n"})
	admin := d.NewToken(t, d.Admin)
	d.Start(t)
	d.Stop(t)
	bin := requireCLI(t)
	res := runHubaudit(t, bin, nil, "pre", "--target", "5.5.1", "--dir", d.Dir, "--hub-env", "/usr", "--format", "json")
	r := mustReport(t, res)
	noSecrets(t, res, []string{secret, admin})
	wantEq(t, "facts.db.counts.service_tokens", num(r, "facts", "db", "counts", "service_tokens"), 1.0)
	var msg string
	for _, f := range findings(r) {
		if f.RuleID == "HUB211" {
			msg = f.Message
		}
	}
	// The admin's token from `jupyterhub token` is the one lost.
	if !strings.Contains(msg, " 1 API token,") || strings.Contains(msg, "service") ||
		!strings.Contains(msg, "not counted: 1 API token that the hub makes again from its config") {
		t.Errorf("HUB211 with a service token from the config: %q", msg)
	}
}
