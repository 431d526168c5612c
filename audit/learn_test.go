package audit

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	_ "modernc.org/sqlite"

	"github.com/hubaudit/hubaudit/internal/testsrv"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// learnDeployment writes a small deployment of JupyterHub 2.3.1 about to
// move to a 3.x release: a config with options that 3.0 deprecates or
// dropped, a 2.3.1 SQLite database with a realistic hub in it, and a
// hub environment export.
func learnDeployment(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cfg := `c = get_config()
c.JupyterHub.admin_access = True
c.Authenticator.whitelist = {"ada", "grace"}
c.Authenticator.blacklist = {"eve"}
c.Spawner.oauth_roles = ["user"]
c.JupyterHub.extra_log_file = "/var/log/jupyterhub.log"
c.LocalAuthenticator.group_whitelist = {"staff"}
c.JupyterHub.proxy_cmd = ["configurable-http-proxy"]
c.Spawner.notebook_dir = "/home/%U"
c.JupyterHub.no_such_option = 1
`
	if err := os.WriteFile(filepath.Join(dir, "jupyterhub_config.py"), []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	d, err := sql.Open("sqlite", filepath.Join(dir, "jupyterhub.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	testsrv.CreateHubSchema(t, d, "sqlite", "2.3.1", "")
	testsrv.Populate(t, d, "sqlite", testsrv.RealisticHub())
	d.Close()
	env := "jupyterhub==2.3.1\nalembic==1.4.3\nasync-generator==1.10\ncertipy==0.1.3\njinja2==3.0.3\njupyter-telemetry==0.1.0\n" +
		"oauthlib==3.1.0\npamela==1.0.0\nprometheus-client==0.4.0\npython-dateutil==2.8.1\nrequests==2.25.1\n" +
		"sqlalchemy==1.3.24\ntornado==6.1\ntraitlets==4.3.3\npackaging==20.9\noauthenticator==0.13.0\njupyterhub-kubespawner==6.0.0\n"
	if err := os.WriteFile(filepath.Join(dir, "hub-freeze.txt"), []byte(env), 0o644); err != nil {
		t.Fatal(err)
	}
	user := "jupyterhub==2.3.1\nnotebook==6.4.12\njupyter-server==1.23.4\ntornado==6.1\ntraitlets==5.9.0\n"
	if err := os.WriteFile(filepath.Join(dir, "user-freeze.txt"), []byte(user), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// findingLines renders findings as sorted "RULE severity location: message"
// lines for comparison.
func findingLines(o *Outcome) []string {
	var out []string
	for _, f := range o.Report.Findings {
		out = append(out, fmt.Sprintf("%s %s %s: %s", f.RuleID, f.Severity, f.Position(), f.Message))
	}
	sort.Strings(out)
	return out
}

func runLearnAudit(t *testing.T, k *kb.KB, dir, target string) *Outcome {
	t.Helper()
	o, err := Run(context.Background(), Options{Mode: rules.ModePre, KB: k, Target: target, Dir: dir,
		HubEnv: filepath.Join(dir, "hub-freeze.txt"), UserEnvs: []string{"image=" + filepath.Join(dir, "user-freeze.txt")}, ToolVersion: "test"})
	if err != nil {
		t.Fatalf("--target %s: %v", target, err)
	}
	return o
}

func sameFindings(t *testing.T, want, got *Outcome) {
	t.Helper()
	w, g := findingLines(want), findingLines(got)
	if strings.Join(w, "\n") != strings.Join(g, "\n") {
		t.Errorf("findings differ:\nbuilt-in knowledge:\n  %s\nlearned:\n  %s", strings.Join(w, "\n  "), strings.Join(g, "\n  "))
	}
	if len(w) < 8 {
		t.Errorf("only %d findings: the deployment does not exercise the knowledge", len(w))
	}
	seen := map[rules.Source]bool{}
	for _, f := range want.Report.Findings {
		seen[f.Source] = true
	}
	for _, s := range []rules.Source{rules.SourceConfig, rules.SourceDB, rules.SourceEnv} {
		if !seen[s] {
			t.Errorf("no %s finding: the comparison does not cover it", s)
		}
	}
}

// TestHiddenReleaseLearnedFromDebianPackage drops 3.0.0 from the
// knowledge base, learns it back from Debian's installed package (the
// /usr prefix), and checks that the audit finds exactly what it finds
// with the built-in 3.0.0 facts, on the config, the database and the
// environment. Debian's requires.txt is cut down, so the learned release
// knows only the requirement left in it: the environment here breaks
// none of 3.0.0's requirements (TestHiddenReleaseLearnedFromSourceTree
// checks requirement findings too, from a source tree).
func TestHiddenReleaseLearnedFromDebianPackage(t *testing.T) {
	if _, err := os.Stat("/usr/lib/python3/dist-packages/jupyterhub/_version.py"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("Debian's jupyterhub is not installed: %v", err)
		}
		t.Skip("SKIP: Debian's jupyterhub is not installed")
	}
	dir := learnDeployment(t)
	k := kb.MustLoad()
	hidden, err := k.Without("3.0.0")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := hidden.Resolve("3.0.0"); err == nil {
		t.Fatal("3.0.0 still known after Without")
	}
	want := runLearnAudit(t, k, dir, "3.0.0")
	got := runLearnAudit(t, hidden, dir, "/usr")
	sameFindings(t, want, got)
	kn := got.Report.Knowledge
	if kn == nil || len(kn.Learned) != 1 || kn.Learned[0].Version != "3.0.0" || kn.Learned[0].Why != "--target" ||
		!strings.Contains(kn.Learned[0].From, "/usr") || len(kn.Learned[0].Notes) == 0 {
		t.Errorf("the report does not say 3.0.0 was learned from /usr: %+v", kn)
	}
	if want.Report.Knowledge == nil || len(want.Report.Knowledge.Learned) != 0 || want.Report.Knowledge.Newest != k.Newest().Version.String() {
		t.Errorf("built-in run's knowledge: %+v", want.Report.Knowledge)
	}
}

// TestHiddenReleaseLearnedFromSourceTree does the same for 5.5.1 with
// JupyterHub's source tree at the tag, requirements included, when a git
// checkout of jupyterhub is named by HUBAUDIT_JUPYTERHUB_GIT (maintainers;
// CI has none).
func TestHiddenReleaseLearnedFromSourceTree(t *testing.T) {
	repo := os.Getenv("HUBAUDIT_JUPYTERHUB_GIT")
	if repo == "" {
		t.Skip("SKIP: HUBAUDIT_JUPYTERHUB_GIT does not name a git checkout of jupyterhub")
	}
	tree := t.TempDir()
	cmd := exec.Command("sh", "-c", `git -C "$1" archive --format=tar 5.5.1 | tar -x -C "$2"`, "sh", repo, tree)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git archive: %v\n%s", err, b)
	}
	dir := learnDeployment(t)
	k := kb.MustLoad()
	hidden, err := k.Without("5.5.1")
	if err != nil {
		t.Fatal(err)
	}
	want := runLearnAudit(t, k, dir, "5.5.1")
	got := runLearnAudit(t, hidden, dir, tree)
	sameFindings(t, want, got)
	if !strings.Contains(strings.Join(findingLines(got), "\n"), "HUB306 warning") {
		t.Error("no HUB306: the learned requirements were not judged")
	}
}
