package env

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks"
)

// hubVenv lays out a hub venv the way `python -m venv` + `pip install`
// do: pyvenv.cfg, lib/python3.11/site-packages with dist-infos, an
// old-style egg-info directory and file, bin scripts with shebangs, and
// configurable-http-proxy installed by npm into lib/node_modules.
func hubVenv(t *testing.T, root string) {
	sp := makeVenv(t, root, "3.11.7",
		jupyterhubDist("5.5.1"),
		dist{Name: "oauthenticator", Version: "17.4.0", RequiresPython: ">=3.9", Module: "oauthenticator",
			Requires:    []string{"jupyterhub>=2.2", "jsonschema", "requests", "ruamel.yaml", "tornado", "traitlets"},
			EntryPoints: "[jupyterhub.authenticators]\ngithub = oauthenticator.github:GitHubOAuthenticator\ngeneric-oauth = oauthenticator.generic:GenericOAuthenticator\n"},
		dist{Name: "SQLAlchemy", Version: "2.0.31", Module: "sqlalchemy", Requires: []string{`greenlet!=0.4.17; platform_machine == "x86_64"`}},
		dist{Name: "tornado", Version: "6.4.1", Module: "tornado"},
		dist{Name: "traitlets", Version: "5.14.3", Module: "traitlets"},
	)
	// setuptools develop-era egg-info directory and a distutils egg-info file
	writeFile(t, filepath.Join(sp, "pamela-1.1.0-py3.11.egg-info", "PKG-INFO"), "Metadata-Version: 1.1\nName: pamela\nVersion: 1.1.0\nSummary: PAM interface using ctypes\n")
	writeFile(t, filepath.Join(sp, "pamela-1.1.0-py3.11.egg-info", "requires.txt"), "six\n\n[:python_version < \"3.0\"]\nfuture\n\n[test]\npytest\n")
	writeFile(t, filepath.Join(sp, "pamela.py"), "")
	writeFile(t, filepath.Join(sp, "certipy-0.1.3-py3.11.egg-info"), "Metadata-Version: 1.0\nName: certipy\nVersion: 0.1.3\n")
	writeFile(t, filepath.Join(sp, "_cffi_backend.cpython-311-x86_64-linux-gnu.so"), "")
	writeFile(t, filepath.Join(sp, "distutils-precedence.pth"), "")
	script(t, filepath.Join(root, "bin", "jupyterhub"), filepath.Join(root, "bin", "python"))
	script(t, filepath.Join(root, "bin", "jupyterhub-singleuser"), filepath.Join(root, "bin", "python"))
	writeFile(t, filepath.Join(root, "lib", "node_modules", "configurable-http-proxy", "package.json"), `{"name": "configurable-http-proxy", "version": "4.6.2", "bin": {"configurable-http-proxy": "bin/configurable-http-proxy"}}`)
}

func TestHubVenvPrefix(t *testing.T) {
	root := t.TempDir()
	hub := filepath.Join(root, "hub")
	hubVenv(t, hub)
	f, err := Collect(Options{Hub: hub})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "hub-venv", f, root)
	e := f.Hub()
	if e.Python != "3.11.7" || e.Packages["jupyterhub"] != "5.5.1" || e.Packages["pamela"] != "1.1.0" || e.Packages["certipy"] != "0.1.3" || e.Packages["sqlalchemy"] != "2.0.31" {
		t.Errorf("python %q packages %v", e.Python, e.Packages)
	}
	if e.EntryPoints["jupyterhub.authenticators"]["github"] != "oauthenticator" {
		t.Errorf("entry points %v", e.EntryPoints)
	}
	if e.ConfigurableHTTPProxy != "4.6.2" {
		t.Errorf("chp %q", e.ConfigurableHTTPProxy)
	}
	if len(e.Problems) != 0 {
		t.Errorf("problems %v", e.Problems)
	}
}

// TestDebianSystemPrefix reads /usr the way Debian lays it out:
// lib/python3/dist-packages for distribution packages, local/lib/python3.X/
// dist-packages for pip, and the stdlib directory lib/python3.11.
func TestDebianSystemPrefix(t *testing.T) {
	usr := filepath.Join(t.TempDir(), "usr")
	installDist(t, filepath.Join(usr, "lib", "python3", "dist-packages"), dist{Name: "jupyterhub", Version: "3.0.0", Module: "jupyterhub", EntryPoints: jupyterhubEntryPoints})
	installDist(t, filepath.Join(usr, "lib", "python3", "dist-packages"), dist{Name: "SQLAlchemy", Version: "1.4.46", Module: "sqlalchemy"})
	installDist(t, filepath.Join(usr, "local", "lib", "python3.11", "dist-packages"), dist{Name: "oauthenticator", Version: "16.3.1", Module: "oauthenticator"})
	writeFile(t, filepath.Join(usr, "lib", "python3.11", "os.py"), "")
	script(t, filepath.Join(usr, "bin", "jupyterhub"), filepath.Join(usr, "bin", "python3"))
	f, err := Collect(Options{PathEnv: filepath.Join(usr, "bin")})
	if err != nil {
		t.Fatal(err)
	}
	e := f.Hub()
	want := map[string]string{"jupyterhub": "3.0.0", "sqlalchemy": "1.4.46", "oauthenticator": "16.3.1"}
	if e.Path != usr || e.Found != "path" || e.Python != "3.11" || !reflect.DeepEqual(e.Packages, want) {
		t.Errorf("got path %q found %q python %q packages %v", e.Path, e.Found, e.Python, e.Packages)
	}
}

// TestCondaPrefix reads a conda env: conda-meta/*.json for every package
// (python and configurable-http-proxy included) plus site-packages.
func TestCondaPrefix(t *testing.T) {
	root := filepath.Join(t.TempDir(), "envs", "hub")
	sp := filepath.Join(root, "lib", "python3.12", "site-packages")
	installDist(t, sp, jupyterhubDist("5.5.1"))
	for _, n := range []string{"python-3.12.4-h194c7f8_0_cpython.json", "jupyterhub-base-5.5.1-pyh31011fe_0.json", "configurable-http-proxy-4.6.1-h92b4e83_0.json", "nodejs-20.12.2-hb753e55_0.json", "jupyterhub-5.5.1-pyh31011fe_0.json"} {
		writeFile(t, filepath.Join(root, "conda-meta", n), `{"name": "x", "files": []}`)
	}
	writeFile(t, filepath.Join(root, "conda-meta", "history"), "==> 2024-07-01 <==\n")
	f, err := Collect(Options{Hub: root})
	if err != nil {
		t.Fatal(err)
	}
	e := f.Hub()
	if e.Python != "3.12.4" || e.ConfigurableHTTPProxy != "4.6.1" || e.Packages["jupyterhub"] != "5.5.1" || e.Packages["nodejs"] != "20.12.2" || e.Packages["python"] != "3.12.4" {
		t.Errorf("python %q chp %q packages %v", e.Python, e.ConfigurableHTTPProxy, e.Packages)
	}
}

func TestExportFormats(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "env", "exports")
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	wantKind := map[string]string{
		"pip-freeze.txt": KindPipFreeze, "uv-pip-freeze.txt": KindPipFreeze, "pip-list.json": KindPipListJSON,
		"pip-list.txt": KindPipList, "conda-list.txt": KindCondaList, "conda-export.txt": KindCondaExport,
		"conda-env-export.yml": KindCondaEnvYAML, "requirements.txt": KindRequirements, "conda-list.json": KindCondaListJSON,
		"garbage.txt": KindUnknown,
	}
	for _, d := range ents {
		name := d.Name()
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(dir, name)
			f, err := Collect(Options{Users: []string{"image=" + p}})
			if err != nil {
				t.Fatal(err)
			}
			e := f.Environments[0]
			if e.Kind != wantKind[name] {
				t.Errorf("kind %q, want %q", e.Kind, wantKind[name])
			}
			golden(t, "export-"+strings.TrimSuffix(name, filepath.Ext(name))+filepath.Ext(name), e, "")
		})
	}
	if len(ents) != len(wantKind) {
		t.Errorf("%d fixtures, %d expectations", len(ents), len(wantKind))
	}
}

// TestBadInputs: garbage, empty, binary, truncated METADATA, a missing
// prefix, symlink loops: problems recorded, never a panic or an error.
func TestBadInputs(t *testing.T) {
	root := t.TempDir()
	venv := filepath.Join(root, "venv")
	sp := makeVenv(t, venv, "3.10.12", dist{Name: "good", Version: "1.0"})
	writeFile(t, filepath.Join(sp, "garbage-1.0.dist-info", "METADATA"), "this is not metadata\n")
	writeFile(t, filepath.Join(sp, "empty-2.0.dist-info", "METADATA"), "")
	writeFile(t, filepath.Join(sp, "binary-3.0.dist-info", "METADATA"), "\x7fELF\x02\x01\x01\x00\x00\x00\x00")
	writeFile(t, filepath.Join(sp, "truncated-4.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: truncated\nVers")
	writeFile(t, filepath.Join(sp, "nometa-5.0.dist-info", "RECORD"), "")
	writeFile(t, filepath.Join(sp, "badreq-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: badreq\nVersion: 1.0\nRequires-Dist: jupyterhub>>=4\nRequires-Dist: ok (>=1.0)\n")
	writeFile(t, filepath.Join(sp, "badep-1.0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: badep\nVersion: 1.0\n")
	writeFile(t, filepath.Join(sp, "badep-1.0.dist-info", "entry_points.txt"), "\x00\x01\x02")
	// Real-world oddities that are not problems: a broken line that only
	// concerns an extra (Send2Trash 1.8.1b0 on Debian), and Debian's
	// same-version .dist-info plus .egg-info pair.
	writeFile(t, filepath.Join(sp, "Send2Trash-1.8.1b0.dist-info", "METADATA"), "Metadata-Version: 2.1\nName: Send2Trash\nVersion: 1.8.1b0\nRequires-Dist: sys-platform (==\"darwin\") ; extra == 'objc'\n")
	installDist(t, sp, dist{Name: "dup", Version: "1.0"})
	writeFile(t, filepath.Join(sp, "dup.egg-info", "PKG-INFO"), "Metadata-Version: 2.1\nName: dup\nVersion: 1.0\n")
	// Two versions of one package are a problem.
	installDist(t, sp, dist{Name: "other", Version: "2.0"})
	writeFile(t, filepath.Join(sp, "other-1.0-py3.10.egg-info", "PKG-INFO"), "Metadata-Version: 1.0\nName: other\nVersion: 1.0\n")
	if err := os.Symlink("loop-1.0.dist-info", filepath.Join(sp, "loop-1.0.dist-info")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loopenv", filepath.Join(root, "loopenv")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(root, "empty.txt"), "")
	writeFile(t, filepath.Join(root, "binary.bin"), "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	writeFile(t, filepath.Join(root, "notapython", "README"), "hello\n")
	f, err := Collect(Options{Hub: venv, Users: []string{
		"missing=" + filepath.Join(root, "does-not-exist"),
		"loop=" + filepath.Join(root, "loopenv"),
		"empty=" + filepath.Join(root, "empty.txt"),
		"binary=" + filepath.Join(root, "binary.bin"),
		"dir=" + filepath.Join(root, "notapython"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "bad-inputs", f, root)
	hub := f.Hub()
	var kinds []string
	for _, p := range hub.Problems {
		kinds = append(kinds, p.Package+":"+p.Kind)
	}
	sort.Strings(kinds)
	want := []string{"badep:bad-metadata", "badreq:bad-metadata", "binary:bad-metadata", "empty:bad-metadata", "garbage:bad-metadata", "loop:unreadable", "nometa:bad-metadata", "other:duplicate", "truncated:bad-metadata"}
	if !reflect.DeepEqual(kinds, want) {
		t.Errorf("hub problems %v, want %v", kinds, want)
	}
	// Versions still come from the directory names where the metadata is bad.
	if hub.Packages["truncated"] != "4.0" || hub.Packages["good"] != "1.0" || hub.Packages["badreq"] != "1.0" {
		t.Errorf("packages %v", hub.Packages)
	}
	if got := hub.Requires["badreq"]; len(got) != 1 || got[0].Name != "ok" || got[0].Specifier != ">=1.0" {
		t.Errorf("badreq requires %v", got)
	}
	wantUser := map[string]string{"missing": "missing", "loop": "unreadable", "empty": "empty", "binary": "binary", "dir": "no-site-packages"}
	for _, u := range f.Users() {
		if len(u.Problems) != 1 || u.Problems[0].Kind != wantUser[u.Name] {
			t.Errorf("user env %s: problems %v, want one %q", u.Name, u.Problems, wantUser[u.Name])
		}
	}
}

func TestDiscovery(t *testing.T) {
	root := t.TempDir()
	hub := filepath.Join(root, "opt", "tljh", "hub")
	hubVenv(t, hub)
	user := filepath.Join(root, "opt", "tljh", "user")
	makeVenv(t, user, "3.10.12", jupyterhubDist("4.1.6"))
	script(t, filepath.Join(user, "bin", "jupyterhub-singleuser"), filepath.Join(user, "bin", "python3"))
	// /usr/local/bin/jupyterhub is a symlink into the hub prefix, as TLJH makes it.
	bin := filepath.Join(root, "usr", "local", "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(hub, "bin", "jupyterhub"), filepath.Join(bin, "jupyterhub")); err != nil {
		t.Fatal(err)
	}
	f, err := Collect(Options{
		PathEnv:    strings.Join([]string{filepath.Join(root, "nonexistent"), "", bin}, string(os.PathListSeparator)),
		SpawnerCmd: []string{filepath.Join(user, "bin", "jupyterhub-singleuser"), "--debug"},
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range f.Environments {
		got = append(got, e.Key()+" "+e.Found+" "+strings.TrimPrefix(e.Path, root)+" "+e.Packages["jupyterhub"])
	}
	want := []string{"hub path /opt/tljh/hub 5.5.1", "user/user spawner-cmd /opt/tljh/user 4.1.6"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	// The same prefix given with --user-env is not read twice.
	f, err = Collect(Options{Hub: hub, Users: []string{user}, SpawnerCmd: []string{filepath.Join(user, "bin", "jupyterhub-singleuser")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Environments) != 2 || f.Environments[1].Found != "flag" {
		t.Errorf("environments %+v", f.Environments)
	}
	// pip's wrapper for shebangs longer than the kernel allows.
	long := filepath.Join(root, "wrapped")
	makeVenv(t, long, "3.9.18", jupyterhubDist("4.0.2"))
	writeFile(t, filepath.Join(root, "elsewhere", "jupyterhub"), "#!/bin/sh\n'''exec' "+filepath.Join(long, "bin", "python")+" \"$0\" \"$@\"\n' '''\n")
	if err := os.Chmod(filepath.Join(root, "elsewhere", "jupyterhub"), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err = Collect(Options{PathEnv: filepath.Join(root, "elsewhere")})
	if err != nil {
		t.Fatal(err)
	}
	if f.Hub().Path != long || f.Hub().Packages["jupyterhub"] != "4.0.2" {
		t.Errorf("wrapped shebang: %+v", f.Hub())
	}
}

func TestAbsent(t *testing.T) {
	_, err := Collect(Options{PathEnv: t.TempDir()})
	var ae *checks.AbsentError
	if !errors.As(err, &ae) {
		t.Fatalf("got %v, want an AbsentError", err)
	}
	if _, err := Collect(Options{Users: []string{"name="}}); err == nil || errors.As(err, &ae) {
		t.Errorf("empty --user-env path: got %v, want a usage error", err)
	}
}

func TestSplitUserSpec(t *testing.T) {
	for in, want := range map[string][2]string{
		"/opt/env":           {"", "/opt/env"},
		"alice=/opt/env":     {"alice", "/opt/env"},
		"image=list.json":    {"image", "list.json"},
		"/opt/a=b/env":       {"", "/opt/a=b/env"},
		"C:/x":               {"", "C:/x"},
		"team.data=/srv/env": {"team.data", "/srv/env"},
	} {
		n, p := splitUserSpec(in)
		if n != want[0] || p != want[1] {
			t.Errorf("splitUserSpec(%q) = %q, %q; want %q, %q", in, n, p, want[0], want[1])
		}
	}
}

// TestNoSecretsInFacts: credentials in URLs of a package list never reach
// the facts, not even through a problem report.
func TestNoSecretsInFacts(t *testing.T) {
	p := filepath.Join(t.TempDir(), "freeze.txt")
	writeFile(t, p, "--index-url https://deploy:s3cr3t-token@pypi.example.org/simple\n"+
		"private-auth @ git+https://deploy:s3cr3t-token@git.example.org/auth.git@v1\n"+
		"jupyterhub==5.5.1\n"+
		"%%% https://deploy:s3cr3t-token@example.org broken line\n")
	f, err := Collect(Options{Users: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(f)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(b), "s3cr3t") {
		t.Errorf("secret in facts: %s", b)
	}
	e := f.Environments[0]
	if e.Packages["private-auth"] != "" || e.Packages["jupyterhub"] != "5.5.1" || len(e.Problems) != 1 || !strings.Contains(e.Problems[0].Detail, "://***@example.org") {
		t.Errorf("packages %v problems %v", e.Packages, e.Problems)
	}
}

// TestSamePrefixOnce: issue 11's `--user-env /usr` on a hub whose prefix
// is /usr audited every finding twice. A user environment that resolves
// to the hub's prefix (as given, with a trailing slash, through a
// symlink, or found from c.Spawner.cmd) is the hub environment serving
// users; one given twice under different names is read once.
func TestSamePrefixOnce(t *testing.T) {
	root := t.TempDir()
	hub := filepath.Join(root, "hub")
	hubVenv(t, hub)
	user := filepath.Join(root, "user")
	makeVenv(t, user, "3.11.7", jupyterhubDist("5.5.1"))
	if err := os.Symlink(hub, filepath.Join(root, "hub-link")); err != nil {
		t.Fatal(err)
	}
	f, err := Collect(Options{Hub: hub,
		Users:      []string{hub + "/", "again=" + filepath.Join(root, "hub-link"), "a=" + user, "b=" + user + "/", filepath.Join(root, ".", "user")},
		SpawnerCmd: []string{filepath.Join(hub, "bin", "jupyterhub-singleuser")}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range f.Environments {
		got = append(got, strings.ReplaceAll(fmt.Sprintf("%s %s %q %q", e.Key(), e.Path, e.UserEnv, e.Aliases), root, "R"))
	}
	want := []string{
		`hub R/hub "--user-env R/hub/ names the hub's prefix" ["again=R/hub-link" "c.Spawner.cmd R/hub/bin/jupyterhub-singleuser"]`,
		`user/a R/user "" ["b=R/user/" "R/user"]`,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if us := f.Users(); len(us) != 2 || us[0] != f.Hub() || us[1].Name != "a" {
		t.Errorf("users %+v", us)
	}
	// Found from c.Spawner.cmd alone, the hub's prefix serves users too.
	f, err = Collect(Options{Hub: hub, SpawnerCmd: []string{filepath.Join(hub, "bin", "jupyterhub-singleuser")}})
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Environments) != 1 || f.Hub().UserEnv != "c.Spawner.cmd runs "+filepath.Join(hub, "bin", "jupyterhub-singleuser")+" from the hub's prefix" || len(f.Users()) != 1 {
		t.Errorf("spawner cmd in the hub prefix: %+v", f.Environments)
	}
}
