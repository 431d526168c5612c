package audit

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/internal/testsrv"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/snapshot"
)

// writeHubEnv writes a pip freeze of a hub environment with jupyterhub at
// version and returns its path.
func writeHubEnv(t *testing.T, dir, version string) string {
	t.Helper()
	p := filepath.Join(dir, "hub-freeze-"+version+".txt")
	sqlalchemy := "2.0.30"
	if version < "4" {
		sqlalchemy = "1.4.46"
	}
	// The config's spawner is the default LocalProcessSpawner: servers run
	// from this environment, which has the server package they need.
	text := "jupyterhub==" + version + "\nalembic==1.13.1\nsqlalchemy==" + sqlalchemy + "\npamela==1.1.0\njupyter-events==0.10.0\njupyter-server==2.14.2\n"
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func runAudit(t *testing.T, opts Options) *report.Report {
	t.Helper()
	out, err := Run(context.Background(), opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.Report
}

func missingInputs(r *report.Report) []string {
	var out []string
	for _, m := range r.Missing {
		out = append(out, m.Input)
	}
	return out
}

func wantMissing(t *testing.T, what string, r *report.Report, verdict string, inputs ...string) {
	t.Helper()
	if r.Verdict != verdict || !slices.Equal(missingInputs(r), inputs) {
		t.Errorf("%s: verdict %q, missing %v; want %q, missing %v (findings %v)", what, r.Verdict, r.Missing, verdict, inputs, r.Findings)
	}
	if verdict == report.VerdictIncomplete && !r.Fails() {
		t.Errorf("%s: an incomplete verdict must fail the run at --fail-on %s", what, r.FailOn)
	}
}

// Issue 11: pre in an empty directory said "ready" after 55 skipped
// checks; with only a database, a 3.0.0 schema was "ready" too.
func TestPreIncomplete(t *testing.T) {
	dir := t.TempDir()
	hubEnv := writeHubEnv(t, t.TempDir(), "3.0.0")
	r := runAudit(t, Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, HubEnv: hubEnv, FailOn: rules.Error})
	wantMissing(t, "empty directory", r, report.VerdictIncomplete, "config", "db")
	for _, m := range r.Missing {
		if m.Flag == "" || m.Why == "" {
			t.Errorf("missing %+v: no flag or reason", m)
		}
	}

	dbPath := filepath.Join(t.TempDir(), "hub.sqlite")
	testsrv.NewSQLiteHub(t, dbPath, "3.0.0", "", testsrv.Hub{Users: []string{"alice"}})
	r = runAudit(t, Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, DBURL: "sqlite:///" + dbPath, FailOn: rules.Error})
	wantMissing(t, "database only", r, report.VerdictIncomplete, "config", "hub_env")
	var cov []string
	for _, c := range r.Coverage {
		cov = append(cov, c.Input+"="+c.Status)
	}
	if got := strings.Join(cov, " "); got != "config=absent db=read hub_env=absent user_envs=absent logs=absent" {
		t.Errorf("coverage: %s", got)
	}
	if r.Coverage[1].From[0] != "sqlite:///"+dbPath {
		t.Errorf("db coverage from %v", r.Coverage[1].From)
	}

	// --fail-on never: incomplete still, but it does not fail the run.
	r = runAudit(t, Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, DBURL: "sqlite:///" + dbPath, FailOn: rules.SeverityNone})
	if r.Verdict != report.VerdictIncomplete || r.Fails() {
		t.Errorf("--fail-on never: verdict %q, fails %v", r.Verdict, r.Fails())
	}
}

// writeDeployment makes a deployment directory with a config and a SQLite
// database at version's schema.
func writeDeployment(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "c.JupyterHub.authenticator_class = 'dummy'\nc.DummyAuthenticator.password = 'not-a-secret-really'\nc.Authenticator.allowed_users = {'alice'}\n"
	if err := os.WriteFile(filepath.Join(dir, "jupyterhub_config.py"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	testsrv.NewSQLiteHub(t, filepath.Join(dir, "jupyterhub.sqlite"), version, "", testsrv.Hub{Users: []string{"alice"}})
	return dir
}

// Issue 11: post on a hub that was never upgraded said "verified", counted
// the pre findings of rules that did not run as resolved, and plain post
// said "nothing was lost".
func TestPostVerifiesTheUpgrade(t *testing.T) {
	dir := writeDeployment(t, "3.0.0")
	envDir := t.TempDir()
	old := writeHubEnv(t, envDir, "3.0.0")
	pre, err := Run(context.Background(), Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, HubEnv: old, FailOn: rules.Error})
	if err != nil {
		t.Fatal(err)
	}
	if pre.Report.Verdict == report.VerdictIncomplete {
		t.Fatalf("pre with config, database and hub environment is incomplete: %v", pre.Report.Missing)
	}
	snap := filepath.Join(t.TempDir(), "pre.json")
	f, err := os.Create(snap)
	if err != nil {
		t.Fatal(err)
	}
	if err := snapshot.Write(f, pre.Snapshot()); err != nil {
		t.Fatal(err)
	}
	f.Close()
	preFPs := map[string]string{}
	for _, f := range pre.Report.Findings {
		preFPs[f.Fingerprint()] = f.RuleID
	}
	if preFPs["HUB205|db:backup"] == "" || preFPs["HUB201|db:revision"] == "" {
		t.Fatalf("pre lacks HUB205 or HUB201: %v", preFPs)
	}

	// Not upgraded: the target comes from the baseline; post fails and
	// says the hub is still at 3.0.0.
	r := runAudit(t, Options{Mode: rules.ModePost, Dir: dir, HubEnv: old, Baseline: snap, FailOn: rules.Error})
	if r.TargetVersion == nil || *r.TargetVersion != "5.5.1" {
		t.Errorf("post --baseline: target %v, want the baseline's 5.5.1", r.TargetVersion)
	}
	if r.Verdict != report.VerdictFailed || !r.Fails() {
		t.Errorf("post on a hub that was not upgraded: verdict %q", r.Verdict)
	}
	var still bool
	for _, f := range r.Findings {
		if f.RuleID == "HUB511" && strings.Contains(f.Message, "still") && strings.Contains(f.Message, "3.0.0") {
			still = true
		}
	}
	if !still {
		t.Errorf("no HUB511 finding saying the hub is still at 3.0.0: %v", r.Findings)
	}
	c := r.Comparison
	if slices.Contains(c.Resolved, "HUB205|db:backup") || !slices.Contains(c.NotRechecked, "HUB205|db:backup") {
		t.Errorf("HUB205 runs in pre only: resolved %v, not re-checked %v", c.Resolved, c.NotRechecked)
	}
	if !slices.Contains(c.Unchanged, "HUB201|db:revision") {
		t.Errorf("HUB201 still holds in post with the baseline's target: unchanged %v, resolved %v", c.Unchanged, c.Resolved)
	}
	if !strings.Contains(strings.Join(c.New, " "), "HUB511|") {
		t.Errorf("HUB511 is not new: %v", c.New)
	}

	// --fail-on new: the version finding is new, so it still fails.
	r = runAudit(t, Options{Mode: rules.ModePost, Dir: dir, HubEnv: old, Baseline: snap, FailOn: rules.Error, FailOnNew: true})
	if !r.Fails() {
		t.Errorf("--fail-on new: a hub still at 3.0.0 must fail")
	}

	// Plain post, no target and no baseline: nothing to verify against.
	r = runAudit(t, Options{Mode: rules.ModePost, Dir: dir, HubEnv: old, FailOn: rules.Error})
	wantMissing(t, "post without target", r, report.VerdictIncomplete, "target")

	// No hub environment (none given, no jupyterhub on an empty PATH) and
	// no hub probe: the installed version is unknown.
	r = runAudit(t, Options{Mode: rules.ModePost, Target: "3.0.0", Dir: dir, FailOn: rules.Error})
	if r.Verdict != report.VerdictIncomplete || !slices.Contains(missingInputs(r), "hub_env") {
		t.Errorf("post without a readable hub environment: verdict %q, missing %v", r.Verdict, r.Missing)
	}

	// The hub environment at 3.0.0 but the database of a 5.5.1 hub: fails
	// on the version.
	dir551 := writeDeployment(t, "5.5.1")
	r = runAudit(t, Options{Mode: rules.ModePost, Target: "5.5.1", Dir: dir551, HubEnv: old, FailOn: rules.Error})
	if r.Verdict != report.VerdictFailed || !hasRule(r, "HUB511") || hasRule(r, "HUB512") {
		t.Errorf("post, env 3.0.0, db 5.5.1: verdict %q, findings %v", r.Verdict, r.Findings)
	}

	// Upgraded for real: verified, and the headline does not claim that
	// nothing was lost without a baseline.
	r = runAudit(t, Options{Mode: rules.ModePost, Target: "5.5.1", Dir: dir551, HubEnv: writeHubEnv(t, envDir, "5.5.1"), FailOn: rules.Error})
	if r.Verdict != report.VerdictVerified {
		t.Errorf("post on an upgraded deployment: verdict %q, missing %v, findings %v", r.Verdict, r.Missing, r.Findings)
	}
}

func hasRule(r *report.Report, id string) bool {
	for _, f := range r.Findings {
		if f.RuleID == id {
			return true
		}
	}
	return false
}

// The Zero to JupyterHub chart's own jupyterhub_config.py (4.0.0) sets
// db_url in an if/elif on a value read at run time; the static reading
// took the last branch's "sqlite://" and reported an in-memory database
// (HUB901, an error). A db_url set only under a condition the reading
// cannot decide is not the config's: the database is not audited (not
// even JupyterHub's default file next to the config) and the coverage
// says where it is set and which flag gives it.
func TestConditionalDBURL(t *testing.T) {
	dir := writeDeployment(t, "3.0.0")
	cfg := "import os\nc.Authenticator.allowed_users = {'alice'}\n" +
		"db_type = os.environ.get('DB_TYPE')\n" +
		"if db_type == 'sqlite-pvc':\n    c.JupyterHub.db_url = 'sqlite:///jupyterhub.sqlite'\n" +
		"elif db_type == 'sqlite-memory':\n    c.JupyterHub.db_url = 'sqlite://'\n"
	if err := os.WriteFile(filepath.Join(dir, "jupyterhub_config.py"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	hubEnv := writeHubEnv(t, t.TempDir(), "3.0.0")
	r := runAudit(t, Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, HubEnv: hubEnv, FailOn: rules.Error})
	wantMissing(t, "conditional db_url", r, report.VerdictIncomplete, "db")
	for _, f := range r.Findings {
		if f.RuleID == "HUB901" {
			t.Errorf("a conditional db_url was audited as a database: %s", f.Message)
		}
	}
	want := "the config sets db_url only under a condition hubaudit cannot decide (jupyterhub_config.py:5, jupyterhub_config.py:7): give --db with the URL the hub uses"
	if c := r.Coverage[1]; c.Input != report.InputDB || c.Status != report.CoverageAbsent || c.Reason != want {
		t.Errorf("db coverage %+v\nwant reason %q", c, want)
	}

	// A later unconditional setting decides it again.
	cfg += "c.JupyterHub.db_url = 'sqlite:///jupyterhub.sqlite'\n"
	if err := os.WriteFile(filepath.Join(dir, "jupyterhub_config.py"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	r = runAudit(t, Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, HubEnv: hubEnv, FailOn: rules.Error})
	if c := r.Coverage[1]; c.Status != report.CoverageRead {
		t.Errorf("unconditional db_url after the branches: db coverage %+v", c)
	}
}

// The first plan step counts the running servers from the database; with
// none running it said "stops the 0 running server(s)".
func TestPlanNoServersRunning(t *testing.T) {
	dir := writeDeployment(t, "3.0.0")
	r := runAudit(t, Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, HubEnv: writeHubEnv(t, t.TempDir(), "3.0.0"), FailOn: rules.Error})
	if r.Plan == nil || len(r.Plan.Steps) == 0 {
		t.Fatal("no plan")
	}
	want := "restarting the hub interrupts logins and the API for a few minutes; no user server is running now (the database records none)"
	if s := r.Plan.Steps[0]; s.Detail != want {
		t.Errorf("first step detail %q, want %q", s.Detail, want)
	}
}
