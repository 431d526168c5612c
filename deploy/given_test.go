package deploy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGivenArgs: the printed commands repeat the inputs as typed,
// quoted for the shell; a database password is never printed (the
// commands read the URL from $HUBAUDIT_DB_URL); post leaves out the logs
// (PostCommand names them) and takes the target chart for a chart
// release number.
func TestGivenArgs(t *testing.T) {
	dir := t.TempDir()
	freeze := filepath.Join(dir, "hub freeze.txt")
	os.WriteFile(freeze, []byte("jupyterhub==4.1.6\n"), 0o644)
	g := Given{Dir: "my hub", Kind: "venv", Configs: []string{"a.py", "jupyterhub_config.d"}, DB: "postgresql://hub:s3cret@db/hub",
		HubEnv: freeze, UserEnvs: []string{"img=u.txt"}, Logs: []string{"-", "hub.log"}, ChartVersion: "3.3.8", Checks: "all,-HUB4*"}
	want := ` --dir 'my hub' --kind venv --config a.py --config jupyterhub_config.d --db "$HUBAUDIT_DB_URL" --hub-env '` + freeze +
		`' --user-env img=u.txt --log hub.log --chart-version 3.3.8 --checks 'all,-HUB4*'`
	if got := g.Args(); got != want {
		t.Errorf("pre args\n%s\nwant\n%s", got, want)
	}
	if got := g.args(true, "4.0.0"); strings.Contains(got, "--log") || !strings.Contains(got, "--chart-version 4.0.0") {
		t.Errorf("post args %s", got)
	}
	pre := PreCommand("5.5.1", g)
	if strings.Contains(pre, "s3cret") || !strings.HasSuffix(pre, "# the baseline post compares with; with HUBAUDIT_DB_URL set to the database URL (its password is not printed)") {
		t.Errorf("pre command %s", pre)
	}
	if ex := g.Exports(); len(ex) != 1 || ex[0] != [2]string{"--hub-env", freeze} {
		t.Errorf("exports %v (u.txt does not exist: not an export read)", ex)
	}
	f := &Facts{Kind: Venv}
	if r := f.RefreshCommands(g); len(r) != 1 || !strings.HasPrefix(r[0], "# export "+freeze+" again") {
		t.Errorf("refresh %q", r)
	}
	// The default directory is not repeated.
	if got := (Given{Dir: "."}).Args(); got != "" {
		t.Errorf("--dir . gives %q", got)
	}
}
