package e2e

import (
	"crypto/sha256"
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/internal/testsrv"
	"github.com/hubaudit/hubaudit/kb"
)

var update = flag.Bool("update", false, "rewrite the golden finding lists in testdata/e2e")

// TestPrePost is the end-to-end scenario of issue 7 on each database
// dialect: a real 3.0.0 hub is filled through its API and stopped;
// `hubaudit pre --target 5.5.1` must see the schema upgrade, the allow
// config change and give a plan; with the hub running again, `hubaudit
// post --target 3.0.0 --baseline` must verify with no data lost; after a
// user is deleted behind its back, post must report the loss.
func TestPrePost(t *testing.T) {
	tools := RequireTools(t)
	for _, dialect := range []string{"sqlite", "postgresql", "mariadb"} {
		t.Run(dialect, func(t *testing.T) {
			var dbURL, secret string
			switch dialect {
			case "postgresql":
				srv := testsrv.StartPostgres(t)
				dbURL, secret = srv.URL(srv.CreateDatabase(t, "jupyterhub"), "", ""), srv.Password
			case "mariadb":
				srv := testsrv.StartMariaDB(t)
				dbURL, secret = srv.URL(srv.CreateDatabase(t, "jupyterhub"), "", ""), srv.Password
			}
			prePost(t, tools, dialect, dbURL, secret)
		})
	}
}

func prePost(t *testing.T, tools Tools, dialect, dbURL, dbPassword string) {
	k := kb.MustLoad()
	installed, ok1 := k.Release("3.0.0")
	target, ok2 := k.Release("5.5.1")
	if !ok1 || !ok2 {
		t.Fatal("the knowledge base lacks 3.0.0 or 5.5.1")
	}

	d, token := populate(t, tools, dbURL)
	d.Stop(t)
	bin := requireCLI(t) // after the hub part, which runs without the CLI
	secrets := []string{token}
	if dbPassword != "" {
		secrets = append(secrets, dbPassword)
	}
	snap := filepath.Join(t.TempDir(), "pre-snapshot.json")
	common := []string{"--dir", d.Dir, "--hub-env", "/usr", "--log", d.Log, "--format", "json"}

	// pre: the hub is stopped, as an admin runs it before upgrading. It
	// must leave the deployment as it was (read-only: not even SQLite's
	// -wal/-shm/-journal files appear).
	before := hashDeployment(t, d.Dir)
	pre := runHubaudit(t, bin, nil, append([]string{"pre", "--target", "5.5.1", "--snapshot", snap}, common...)...)
	r := mustReport(t, pre)
	noSecrets(t, pre, secrets)
	if after := hashDeployment(t, d.Dir); !maps.Equal(before, after) {
		t.Errorf("hubaudit pre changed the deployment:\nbefore %v\nafter  %v", before, after)
	}
	if b, err := os.ReadFile(snap); err != nil {
		t.Fatalf("pre --snapshot wrote nothing: %v", err)
	} else {
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Errorf("the snapshot holds a secret")
			}
		}
	}
	wantEq(t, "mode", str(r, "mode"), "pre")
	wantEq(t, "current_version", str(r, "current_version"), "3.0.0")
	wantEq(t, "target_version", str(r, "target_version"), "5.5.1")
	wantEq(t, "facts.db.dialect", str(r, "facts", "db", "dialect"), map[string]string{"sqlite": "sqlite", "postgresql": "postgresql", "mariadb": "mysql"}[dialect])
	wantEq(t, "facts.db.revision", str(r, "facts", "db", "revision"), installed.AlembicHead)
	// Tokens: the admin's (jupyterhub token), alice's (REST API) and the
	// one the hub issued to alice's running server.
	wantCounts(t, r, map[string]float64{"users": 4, "groups": 2, "api_tokens": 3, "servers_running": 1})
	if v := str(r, "verdict"); v != "ready" && v != "not_ready" {
		t.Errorf("pre verdict = %q", v)
	}
	// The schema must move from 3.0.0's head to 5.5.1's: a database
	// finding says so, and the plan has the upgrade-db step and the
	// migrations in between.
	if installed.AlembicHead == target.AlembicHead {
		t.Fatal("3.0.0 and 5.5.1 share a head: the KB is wrong")
	}
	if !hasFinding(r, func(f finding) bool {
		return f.RuleID == "HUB201" && f.Subject == "db:revision" && strings.Contains(f.Message, installed.AlembicHead)
	}) {
		t.Errorf("pre: no HUB2xx finding about the schema upgrade; findings:\n%s", listFindings(r))
	}
	// 5.0 changed what an Authenticator with no allow config lets in; the
	// DummyAuthenticator keeps letting everyone in, PAM (the default) does
	// not: the same deployment with authenticator_class = 'pam' must get
	// HUB110 and a config step for it in the plan.
	checkAllowConfig(t, bin, d, secrets)
	checkPlan(t, r, dialect, installed.AlembicHead, target.AlembicHead, secrets)
	golden(t, dialect, "pre", r)

	// post: the hub runs again (still 3.0.0: this checks the verification
	// machinery, not an upgrade), compared with the snapshot.
	d.Start(t)
	defer d.Stop(t)
	env := []string{"JUPYTERHUB_API_TOKEN=" + token}
	postArgs := append([]string{"post", "--target", "3.0.0", "--baseline", snap, "--hub-url", d.URL()}, common...)
	post := runHubaudit(t, bin, env, postArgs...)
	r = mustReport(t, post)
	noSecrets(t, post, secrets)
	if v := str(r, "verdict"); v != "verified" || post.code != 0 {
		t.Fatalf("post: verdict %q, exit %d, want verified/0; findings:\n%s\nstderr:\n%s", v, post.code, listFindings(r), post.stderr)
	}
	wantEq(t, "facts.hub.version", str(r, "facts", "hub", "version"), "3.0.0")
	wantEq(t, "facts.hub.users", num(r, "facts", "hub", "users"), 4.0)
	wantEq(t, "facts.hub.groups", num(r, "facts", "hub", "groups"), 2.0)
	wantEq(t, "facts.hub.servers_running", num(r, "facts", "hub", "servers_running"), 1.0)
	if c := countChange(r, "servers_running"); c == nil || c["old"] != 1.0 || c["new"] != 1.0 {
		t.Errorf("post: comparison.counts servers_running = %v, want 1 -> 1 (alice's server survived the restart)", c)
	}
	for _, c := range list(r, "comparison", "counts") {
		m, _ := c.(map[string]any)
		if m["new"] != m["old"] {
			t.Errorf("post: count %v changed %v -> %v with nothing lost", m["name"], m["old"], m["new"])
		}
	}
	if len(list(r, "comparison", "counts")) == 0 {
		t.Errorf("post: no comparison.counts with --baseline")
	}
	golden(t, dialect, "post", r)

	// hubaudit backup while the hub runs (SQLite): the copy holds what the
	// hub holds and audits like the original.
	if dialect == "sqlite" {
		checkBackup(t, bin, d, installed.AlembicHead)
	}

	// A user deleted behind the hub's back: post must report the loss.
	var staleCopy string
	if dialect == "sqlite" {
		// Keep the database as it is now for the wrong-database check
		// below (the hub writes nothing between requests; SQLite's
		// journal is empty while it idles).
		staleCopy = filepath.Join(t.TempDir(), "before-delete.sqlite")
		copyFile(t, filepath.Join(d.Dir, "jupyterhub.sqlite"), staleCopy)
	}
	d.DeleteUser(t, token, "bob")
	lost := runHubaudit(t, bin, env, postArgs...)
	r = mustReport(t, lost)
	noSecrets(t, lost, secrets)
	if v := str(r, "verdict"); v != "failed" || lost.code != 1 {
		t.Errorf("post after DELETE bob: verdict %q, exit %d, want failed/1", v, lost.code)
	}
	if !hasFinding(r, func(f finding) bool {
		return f.RuleID == "HUB510" && f.Severity == "error" && f.Subject == "db:count/users" && strings.Contains(f.Message, "users")
	}) {
		t.Errorf("post after DELETE bob: no data-lost finding naming users; findings:\n%s", listFindings(r))
	}
	wantEq(t, "post after DELETE bob: facts.hub.users", num(r, "facts", "hub", "users"), 3.0)
	if c := countChange(r, "users"); c == nil || c["old"] != 4.0 || c["new"] != 3.0 {
		t.Errorf("post after DELETE bob: comparison.counts users = %v, want 4 -> 3", c)
	}
	golden(t, dialect, "post-loss", r)

	// The token from --api-token-file instead of the environment.
	tokenFile := filepath.Join(t.TempDir(), "api-token")
	if err := os.WriteFile(tokenFile, []byte(token+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fromFile := runHubaudit(t, bin, []string{"JUPYTERHUB_API_TOKEN="}, append(slices.Clone(postArgs), "--api-token-file", tokenFile)...)
	r = mustReport(t, fromFile)
	noSecrets(t, fromFile, secrets)
	if get(r, "facts", "hub", "token_given") != true || num(r, "facts", "hub", "users") != 3 || str(r, "verdict") != "failed" {
		t.Errorf("post --api-token-file: verdict %q, facts.hub = %v", str(r, "verdict"), get(r, "facts", "hub"))
	}

	// The same verification in the human formats names the loss too.
	base := slices.Clone(postArgs[:len(postArgs)-2])
	for _, format := range []string{"table", "markdown"} {
		out := runHubaudit(t, bin, env, append(slices.Clone(base), "--format", format)...)
		noSecrets(t, out, secrets)
		text := string(out.stdout)
		if out.code != 1 || !strings.Contains(text, "HUB510") || !strings.Contains(text, "users dropped from 4 to 3") {
			t.Errorf("post --format %s after DELETE bob: exit %d, output lacks the HUB510 users loss:\n%s\n%s", format, out.code, out.stdout, out.stderr)
		}
	}

	// Auditing another database than the one the hub runs on: a copy of
	// the SQLite file from before the deletion still has bob, the API
	// does not.
	if dialect == "sqlite" {
		stale := filepath.Join(t.TempDir(), "stale.sqlite")
		copyFile(t, staleCopy, stale)
		out := runHubaudit(t, bin, env, append(slices.Clone(postArgs), "--db", "sqlite:///"+stale)...)
		r := mustReport(t, out)
		if !hasFinding(r, func(f finding) bool {
			return f.RuleID == "HUB514" && f.Subject == "hub:count/users" && strings.Contains(f.Message, "3") && strings.Contains(f.Message, "4")
		}) {
			t.Errorf("post --db <stale copy>: no HUB514 for users (API 3, DB 4); findings:\n%s", listFindings(r))
		}
	}

	// The hub is down: post must say so and fail.
	d.Stop(t)
	down := runHubaudit(t, bin, env, postArgs...)
	r = mustReport(t, down)
	if v := str(r, "verdict"); v != "failed" || down.code != 1 || !hasFinding(r, func(f finding) bool {
		return f.RuleID == "HUB513" && f.Severity == "error" && f.Subject == "hub:api"
	}) {
		t.Errorf("post with the hub stopped: verdict %q, exit %d, want failed/1 with HUB513; findings:\n%s", v, down.code, listFindings(r))
	}
	golden(t, dialect, "post-down", r)
}

// checkAllowConfig audits the deployment with its config switched to the
// default PAMAuthenticator (written outside the deployment).
func checkAllowConfig(t *testing.T, bin string, d *Deployment, secrets []string) {
	t.Helper()
	cfg, err := os.ReadFile(d.Config)
	if err != nil {
		t.Fatal(err)
	}
	pam := strings.Replace(string(cfg), "c.JupyterHub.authenticator_class = 'dummy'", "c.JupyterHub.authenticator_class = 'pam'", 1)
	if pam == string(cfg) {
		t.Fatal("the e2e config has no authenticator_class line to switch")
	}
	variant := filepath.Join(t.TempDir(), "jupyterhub_config.py")
	if err := os.WriteFile(variant, []byte(pam), 0o644); err != nil {
		t.Fatal(err)
	}
	res := runHubaudit(t, bin, nil, "pre", "--target", "5.5.1", "--dir", d.Dir, "--config", variant, "--format", "json")
	r := mustReport(t, res)
	noSecrets(t, res, secrets)
	if !hasFinding(r, func(f finding) bool {
		return f.RuleID == "HUB110" && f.Severity == "error" && f.Subject == "behaviour:allow_all" && strings.Contains(f.Message, "5.5.1")
	}) {
		t.Errorf("pre with PAMAuthenticator: no HUB110 about the allow config; findings:\n%s", listFindings(r))
	}
	if v := str(r, "verdict"); v != "not_ready" || res.code != 1 {
		t.Errorf("pre with PAMAuthenticator: verdict %q, exit %d, want not_ready/1", v, res.code)
	}
	for _, st := range list(r, "plan", "steps") {
		if m, _ := st.(map[string]any); m["id"] == "config" {
			if !slices.ContainsFunc(asList(m["findings"]), func(v any) bool { return v == "HUB110" }) {
				t.Errorf("pre with PAMAuthenticator: the config step does not refer to HUB110: %v", m["findings"])
			}
			return
		}
	}
	t.Errorf("pre with PAMAuthenticator: the plan has no config step")
}

// hashDeployment returns the SHA-256 of every file of the deployment the
// hub itself does not change while stopped: all of it except the hub log
// (a running single-user server still writes to it) and the users' homes.
func hashDeployment(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		if e.IsDir() {
			if rel == "home" {
				return filepath.SkipDir
			}
			return nil
		}
		if rel == "jupyterhub.log" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		out[rel] = fmt.Sprintf("%x", sha256.Sum256(b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// checkBackup runs `hubaudit backup` against the running hub's SQLite
// database and audits the copy.
func checkBackup(t *testing.T, bin string, d *Deployment, head string) {
	t.Helper()
	to := filepath.Join(t.TempDir(), "backup")
	out := runHubaudit(t, bin, nil, "backup", "--to", to, "--dir", d.Dir)
	if out.code != 0 {
		t.Fatalf("hubaudit backup while the hub runs: exit %d\n%s\n%s", out.code, out.stdout, out.stderr)
	}
	var copies []string
	_ = filepath.WalkDir(to, func(path string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() && strings.Contains(filepath.Base(path), ".sqlite") {
			copies = append(copies, path)
		}
		return nil
	})
	if len(copies) != 1 {
		t.Fatalf("hubaudit backup --to %s: want one SQLite copy, found %v\n%s", to, copies, out.stdout)
	}
	res := runHubaudit(t, bin, nil, "pre", "--target", "5.5.1", "--dir", d.Dir, "--db", "sqlite:///"+copies[0], "--format", "json")
	r := mustReport(t, res)
	wantEq(t, "backup copy: facts.db.revision", str(r, "facts", "db", "revision"), head)
	wantCounts(t, r, map[string]float64{"users": 4, "groups": 2, "api_tokens": 3, "servers_running": 1})
}

// copyFile copies a file (the test's own SQLite copies).
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// countChange returns the comparison.counts entry for name.
func countChange(r map[string]any, name string) map[string]any {
	for _, c := range list(r, "comparison", "counts") {
		if m, _ := c.(map[string]any); m["name"] == name {
			return m
		}
	}
	return nil
}

// checkPlan checks the structured plan of a pre report: the steps in
// order, the backup command for the dialect, the package and upgrade-db
// commands, the config step for HUB110, and the migrations to run.
func checkPlan(t *testing.T, r map[string]any, dialect, from, to string, secrets []string) {
	t.Helper()
	plan, _ := r["plan"].(map[string]any)
	if plan == nil {
		t.Errorf("pre: no plan in the JSON report")
		return
	}
	var ids []string
	commands := map[string]string{}
	stepFindings := map[string][]string{}
	for _, s := range list(r, "plan", "steps") {
		m, _ := s.(map[string]any)
		id := fmt.Sprint(m["id"])
		ids = append(ids, id)
		for _, c := range asList(m["commands"]) {
			commands[id] += fmt.Sprint(c) + "\n"
		}
		for _, f := range asList(m["findings"]) {
			stepFindings[id] = append(stepFindings[id], fmt.Sprint(f))
		}
	}
	// alice's server runs through the hub's stop: users must be told.
	notify := ""
	for _, st := range list(r, "plan", "steps") {
		if m, _ := st.(map[string]any); m["id"] == "notify" {
			notify = fmt.Sprint(m["detail"])
		}
	}
	if !strings.Contains(notify, "1 running server") {
		t.Errorf("pre: the notify step does not count the 1 running server: %q", notify)
	}
	// The order an admin must follow.
	order := []string{"backup", "stop", "packages", "config", "upgrade-db", "start"}
	last := -1
	for _, id := range order {
		i := slices.Index(ids, id)
		if i < 0 && id == "config" && len(stepFindings["config"]) == 0 {
			continue // no config change needed
		}
		if i < 0 {
			t.Errorf("pre: plan has no %q step; steps %v", id, ids)
			continue
		}
		if i < last {
			t.Errorf("pre: plan step %q comes too early; steps %v, want order %v", id, ids, order)
		}
		last = i
	}
	wantBackup := map[string]string{"sqlite": "hubaudit backup", "postgresql": "pg_dump", "mariadb": "dump"}[dialect]
	// Debian's jupyterhub is a distribution-managed Python (PEP 668):
	// the plan moves the hub to a virtualenv and installs there, and no
	// command pip-installs into /usr.
	wantEq(t, "facts.deployment.kind", str(r, "facts", "deployment", "kind"), "managed")
	for id, want := range map[string]string{"backup": wantBackup, "virtualenv": "/opt/jupyterhub/bin/python -m pip install 'jupyterhub==5.5.1'", "upgrade-db": "jupyterhub upgrade-db", "start": "hubaudit post"} {
		if !strings.Contains(commands[id], want) {
			t.Errorf("pre: plan step %q has no command with %q:\n%s", id, want, commands[id])
		}
	}
	if slices.Index(ids, "virtualenv") > slices.Index(ids, "packages") {
		t.Errorf("pre: the virtualenv step comes after the packages step; steps %v", ids)
	}
	for id, c := range commands {
		for _, l := range strings.Split(c, "\n") {
			if strings.Contains(l, "pip install") && !strings.Contains(l, "/opt/jupyterhub/bin/python") {
				t.Errorf("pre: plan step %q pip-installs outside the new virtualenv: %s", id, l)
			}
		}
	}
	for _, c := range commands {
		for _, s := range secrets {
			if strings.Contains(c, s) {
				t.Errorf("pre: a plan command holds a secret")
			}
		}
	}
	migs := list(r, "plan", "migrations")
	if len(migs) == 0 {
		t.Errorf("pre: plan lists no migrations from %s to %s", from, to)
		return
	}
	lastMig, _ := migs[len(migs)-1].(map[string]any)
	if lastMig["revision"] != to {
		t.Errorf("pre: the last planned migration is %v, want the target head %s", lastMig["revision"], to)
	}
	for _, m := range migs {
		if mm, _ := m.(map[string]any); mm["revision"] == from {
			t.Errorf("pre: plan re-runs migration %s the database is already at", from)
		}
	}
}

// finding is the part of a JSON finding the test looks at.
type finding struct {
	RuleID, Severity, Subject, Message string
}

func findings(r map[string]any) []finding {
	var out []finding
	for _, f := range asList(r["findings"]) {
		m, _ := f.(map[string]any)
		loc, _ := m["location"].(map[string]any)
		out = append(out, finding{RuleID: fmt.Sprint(m["rule_id"]), Severity: fmt.Sprint(m["severity"]),
			Subject: fmt.Sprint(loc["subject"]), Message: fmt.Sprint(m["message"])})
	}
	return out
}

func hasFinding(r map[string]any, match func(finding) bool) bool {
	return slices.ContainsFunc(findings(r), match)
}

func listFindings(r map[string]any) string {
	var b strings.Builder
	for _, f := range findings(r) {
		fmt.Fprintf(&b, "  %s %s [%s] %s\n", f.RuleID, f.Severity, f.Subject, f.Message)
	}
	return b.String()
}

// golden compares the report's fingerprints (rule ID, severity, subject:
// stable across runs, unlike messages that name temp dirs and ports) with
// testdata/e2e/DIALECT/STEP.want; -update rewrites the file.
func golden(t *testing.T, dialect, step string, r map[string]any) {
	t.Helper()
	var lines []string
	for _, f := range findings(r) {
		if machineDependent(f) {
			continue
		}
		lines = append(lines, fmt.Sprintf("%s %s %s", f.RuleID, f.Severity, f.Subject))
	}
	sort.Strings(lines)
	got := fmt.Sprintf("verdict %s\n%s", str(r, "verdict"), strings.Join(lines, "\n"))
	got = strings.TrimRight(got, "\n") + "\n"
	path := filepath.Join("..", "testdata", "e2e", dialect, step+".want")
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%s: %v (run with -update to create it); got:\n%s", path, err, got)
		return
	}
	if string(want) != got {
		t.Errorf("%s %s findings differ from %s (run with -update after checking):\ngot:\n%swant:\n%sfindings:\n%s", dialect, step, path, got, want, listFindings(r))
	}
}

// machineDependent reports findings about the hub environment /usr that
// concern other Debian packages than jupyterhub and its requirements (what
// else is installed differs between machines, e.g. pygobject without
// pycairo): they are left out of the golden files.
func machineDependent(f finding) bool {
	return strings.HasPrefix(f.RuleID, "HUB3") && strings.HasPrefix(f.Subject, "env:") && !strings.Contains(f.Subject, "jupyterhub")
}

func mustReport(t *testing.T, res *result) map[string]any {
	t.Helper()
	if res.report == nil {
		t.Fatalf("hubaudit %s: exit %d, no JSON report\nstdout:\n%s\nstderr:\n%s", strings.Join(res.args, " "), res.code, res.stdout, res.stderr)
	}
	if res.code != 0 && res.code != 1 {
		t.Fatalf("hubaudit %s: exit %d\nstderr:\n%s", strings.Join(res.args, " "), res.code, res.stderr)
	}
	return res.report
}

// noSecrets fails when a token or password shows up in any output.
func noSecrets(t *testing.T, res *result, secrets []string) {
	t.Helper()
	for _, s := range secrets {
		if s == "" {
			continue
		}
		if strings.Contains(string(res.stdout), s) || strings.Contains(string(res.stderr), s) {
			t.Errorf("hubaudit %s printed a secret", res.args[0])
		}
	}
}

func wantCounts(t *testing.T, r map[string]any, want map[string]float64) {
	t.Helper()
	for name, n := range want {
		if got := num(r, "facts", "db", "counts", name); got != n {
			t.Errorf("facts.db.counts.%s = %v, want %v", name, got, n)
		}
	}
}

func wantEq[T comparable](t *testing.T, what string, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("%s = %v, want %v", what, got, want)
	}
}

// get walks a decoded JSON document.
func get(v any, path ...string) any {
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[p]
	}
	return v
}

func str(v any, path ...string) string {
	s, _ := get(v, path...).(string)
	return s
}

func num(v any, path ...string) float64 {
	n, _ := get(v, path...).(float64)
	return n
}

func list(v any, path ...string) []any { return asList(get(v, path...)) }

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
