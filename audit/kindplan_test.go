package audit

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
)

// writeFiles writes files (path -> content) under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, c := range files {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// hubPrefix lays out a Python prefix with jupyterhub 4.1.6 installed the
// way pip installs it (a dist-info folder with METADATA), plus extra.
func hubPrefix(t *testing.T, extra map[string]string) string {
	t.Helper()
	p := t.TempDir()
	files := map[string]string{
		"lib/python3.11/site-packages/jupyterhub-4.1.6.dist-info/METADATA": "Metadata-Version: 2.1\nName: jupyterhub\nVersion: 4.1.6\nRequires-Python: >=3.8\n",
		"lib/python3.11/site-packages/jupyterhub/__init__.py":              "",
		"bin/jupyterhub": "#!" + p + "/bin/python\n",
	}
	for k, v := range extra {
		files[k] = v
	}
	writeFiles(t, p, files)
	return p
}

// planOf runs a pre audit of dir with the hub environment prefix and
// returns the report.
func planOf(t *testing.T, dir, prefix string, logs ...string) *report.Report {
	t.Helper()
	out, err := Run(context.Background(), Options{Mode: rules.ModePre, Target: "5.5.1", Dir: dir, HubEnv: prefix, Logs: logs, Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if out.Report.Plan == nil {
		t.Fatal("no plan")
	}
	return out.Report
}

func stepCommands(r *report.Report) map[string][]string {
	out := map[string][]string{}
	for _, s := range r.Plan.Steps {
		out[s.ID] = append(out[s.ID], s.Commands...)
	}
	return out
}

// TestPlanVenvPipInPrefix: a virtualenv's hub is upgraded with the
// virtualenv's own interpreter, and the post step probes the port of the
// config's hub_bind_url, under its base_url, with the log given.
func TestPlanVenvPipInPrefix(t *testing.T) {
	prefix := hubPrefix(t, map[string]string{"pyvenv.cfg": "home = /usr/bin\nversion = 3.11.2\n"})
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"jupyterhub_config.py": "c.JupyterHub.hub_bind_url = 'http://0.0.0.0:8095'\nc.JupyterHub.base_url = '/jhub'\nc.Authenticator.allowed_users = {'a'}\n",
		"hub.log":              "[I 2024-05-01 10:00:00.000 JupyterHub app:3000] Running JupyterHub version 4.1.6\n",
	})
	r := planOf(t, dir, prefix, filepath.Join(dir, "hub.log"))
	if d := r.Facts.Deployment; d == nil || d.Kind != "venv" {
		t.Fatalf("deployment = %+v, want venv", d)
	}
	cmds := stepCommands(r)
	want := prefix + "/bin/python -m pip install --upgrade 'jupyterhub==5.5.1'"
	if got := strings.Join(cmds["packages"], "\n"); got != want {
		t.Errorf("packages commands:\n%s\nwant:\n%s", got, want)
	}
	if got := strings.Join(cmds["upgrade-db"], "\n"); !strings.HasPrefix(got, prefix+"/bin/jupyterhub upgrade-db -f ") {
		t.Errorf("upgrade-db commands: %s", got)
	}
	post := cmds["start"][len(cmds["start"])-1]
	wantPost := "hubaudit post --target 5.5.1 --baseline hubaudit-pre.json --hub-url http://127.0.0.1:8095/jhub/hub/ --dir " + dir + " --hub-env " + prefix + " --log " + filepath.Join(dir, "hub.log")
	if post != wantPost {
		t.Errorf("post command:\n%s\nwant:\n%s", post, wantPost)
	}
	// The baseline is the same audit: its inputs, the log included.
	wantPre := "hubaudit pre --target 5.5.1 --dir " + dir + " --hub-env " + prefix + " --log " + filepath.Join(dir, "hub.log") + " --snapshot hubaudit-pre.json   # the baseline post compares with"
	if pre := cmds["backup"][len(cmds["backup"])-1]; pre != wantPre {
		t.Errorf("pre command:\n%s\nwant:\n%s", pre, wantPre)
	}
	if got := r.Facts.Deployment.Config.HubURLFrom; !strings.Contains(got, "hub_bind_url") || !strings.Contains(got, "base_url") {
		t.Errorf("hub_url_from = %q", got)
	}
}

// TestPlanManagedNoPipInPlace: a prefix with a PEP 668 marker (as Debian
// ships /usr) gets no pip command for that prefix: the plan moves the hub
// to a virtualenv first and installs there.
func TestPlanManagedNoPipInPlace(t *testing.T) {
	prefix := hubPrefix(t, map[string]string{"lib/python3.11/EXTERNALLY-MANAGED": "[externally-managed]\nError=use apt\n"})
	r := planOf(t, t.TempDir(), prefix)
	d := r.Facts.Deployment
	if d == nil || d.Kind != "managed" || d.Python == nil || !strings.HasSuffix(d.Python.ExternallyManaged, "EXTERNALLY-MANAGED") {
		t.Fatalf("deployment = %+v, want managed with the marker", d)
	}
	var ids []string
	for _, s := range r.Plan.Steps {
		ids = append(ids, s.ID)
		for _, c := range s.Commands {
			if strings.Contains(c, "pip install") && !strings.HasPrefix(c, "/opt/jupyterhub/bin/python -m pip install") {
				t.Errorf("step %s pip-installs outside the new virtualenv: %s", s.ID, c)
			}
			if strings.Contains(c, prefix+"/bin/python") {
				t.Errorf("step %s runs the managed interpreter: %s", s.ID, c)
			}
		}
	}
	if got := strings.Join(ids, " "); !strings.Contains(got, "stop virtualenv packages") {
		t.Errorf("steps: %s", got)
	}
	if c := stepCommands(r)["virtualenv"]; len(c) < 2 || c[1] != "/opt/jupyterhub/bin/python -m pip install 'jupyterhub==5.5.1'" {
		t.Errorf("virtualenv commands: %q", c)
	}
}

// TestPlanDebianPackage: jupyterhub files listed by a Debian package make
// the prefix managed even without a marker (an older Debian).
func TestPlanDebianPackage(t *testing.T) {
	prefix := hubPrefix(t, nil)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"var/lib/dpkg/info/jupyterhub.list": "/.\n" + prefix + "/lib/python3.11/site-packages/jupyterhub\n"})
	out, err := Run(context.Background(), Options{Mode: rules.ModePre, Target: "5.5.1", Dir: t.TempDir(), HubEnv: prefix, Root: root})
	if err != nil {
		t.Fatal(err)
	}
	d := out.Report.Facts.Deployment
	if d.Kind != "managed" || d.Python.DebPackage != "jupyterhub" {
		t.Fatalf("deployment = %+v python %+v, want managed by Debian package jupyterhub", d, d.Python)
	}
}

// TestKindFlag: --kind overrides detection, and an unknown kind is a
// usage error that lists the kinds.
func TestKindFlag(t *testing.T) {
	prefix := hubPrefix(t, map[string]string{"pyvenv.cfg": "home = /usr/bin\n"})
	out, err := Run(context.Background(), Options{Mode: rules.ModePre, Target: "5.5.1", Dir: t.TempDir(), HubEnv: prefix, Kind: "prefix", Root: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if d := out.Report.Facts.Deployment; d.Kind != "prefix" || d.From != "flag" || d.Python.Kind != "venv" {
		t.Errorf("deployment = %+v python %+v", d, d.Python)
	}
	_, err = Run(context.Background(), Options{Mode: rules.ModePre, Target: "5.5.1", Dir: t.TempDir(), Kind: "helm"})
	ue, ok := err.(*UsageError)
	if !ok || !strings.Contains(ue.Msg, `unknown deployment kind "helm"`) || !strings.Contains(ue.Msg, "tljh") {
		t.Errorf("--kind helm: %v", err)
	}
}
