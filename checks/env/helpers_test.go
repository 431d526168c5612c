package env

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// dist describes one installed distribution, laid out the way pip lays
// out a wheel install: name-version.dist-info with METADATA, RECORD,
// INSTALLER, WHEEL and optionally entry_points.txt, plus the package's
// import directory.
type dist struct {
	Name           string
	Version        string
	RequiresPython string
	Requires       []string
	EntryPoints    string // entry_points.txt content
	Module         string // top-level import name ("" = none)
}

func (d dist) metadata() string {
	var b strings.Builder
	b.WriteString("Metadata-Version: 2.1\n")
	b.WriteString("Name: " + d.Name + "\n")
	b.WriteString("Version: " + d.Version + "\n")
	b.WriteString("Summary: test distribution\n")
	if d.RequiresPython != "" {
		b.WriteString("Requires-Python: " + d.RequiresPython + "\n")
	}
	for _, r := range d.Requires {
		b.WriteString("Requires-Dist: " + r + "\n")
	}
	b.WriteString("Description-Content-Type: text/markdown\n\n# " + d.Name + "\n\nA long description.\n")
	return b.String()
}

// distInfoDir returns the directory name pip uses: the name with "-"
// turned into "_".
func (d dist) distInfoDir() string {
	return strings.ReplaceAll(d.Name, "-", "_") + "-" + d.Version + ".dist-info"
}

func writeFile(t testing.TB, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// installDist writes d into site-packages sp.
func installDist(t testing.TB, sp string, d dist) {
	t.Helper()
	di := filepath.Join(sp, d.distInfoDir())
	writeFile(t, filepath.Join(di, "METADATA"), d.metadata())
	writeFile(t, filepath.Join(di, "INSTALLER"), "pip\n")
	writeFile(t, filepath.Join(di, "WHEEL"), "Wheel-Version: 1.0\nGenerator: hubaudit-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
	record := d.distInfoDir() + "/METADATA,,\n" + d.distInfoDir() + "/RECORD,,\n"
	if d.EntryPoints != "" {
		writeFile(t, filepath.Join(di, "entry_points.txt"), d.EntryPoints)
	}
	if d.Module != "" {
		writeFile(t, filepath.Join(sp, d.Module, "__init__.py"), "")
		record += d.Module + "/__init__.py,,\n"
	}
	writeFile(t, filepath.Join(di, "RECORD"), record)
}

// makeVenv creates a venv-style prefix for Python version py with dists.
func makeVenv(t testing.TB, root, py string, dists ...dist) string {
	t.Helper()
	mm := py
	if parts := strings.Split(py, "."); len(parts) >= 2 {
		mm = parts[0] + "." + parts[1]
	}
	writeFile(t, filepath.Join(root, "pyvenv.cfg"), "home = /usr/bin\ninclude-system-site-packages = false\nversion = "+py+"\nexecutable = /usr/bin/python"+mm+"\ncommand = /usr/bin/python3 -m venv "+root+"\n")
	sp := filepath.Join(root, "lib", "python"+mm, "site-packages")
	for _, d := range dists {
		installDist(t, sp, d)
	}
	if err := os.MkdirAll(sp, 0o755); err != nil {
		t.Fatal(err)
	}
	return sp
}

// script writes an executable console script with a shebang.
func script(t testing.TB, path, interpreter string) {
	t.Helper()
	writeFile(t, path, "#!"+interpreter+"\n# -*- coding: utf-8 -*-\nimport re\nimport sys\n")
	if err := os.Chmod(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

// golden compares v, rendered as indented JSON with root replaced by
// "$ROOT", with testdata/env/golden/name.json.
func golden(t *testing.T, name string, v any, root string) {
	t.Helper()
	got, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if root != "" {
		got = bytes.ReplaceAll(got, []byte(root), []byte("$ROOT"))
	}
	got = append(got, '\n')
	path := filepath.Join("..", "..", "testdata", "env", "golden", name+".json")
	if *update {
		writeFile(t, path, string(got))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden file %s (run with -update after checking):\n%s", name, path, got)
	}
}

var jupyterhubEntryPoints = `[console_scripts]
jupyterhub = jupyterhub.app:main
jupyterhub-singleuser = jupyterhub.singleuser:main

[jupyterhub.authenticators]
default = jupyterhub.auth:PAMAuthenticator
dummy = jupyterhub.auth:DummyAuthenticator
null = jupyterhub.auth:NullAuthenticator
pam = jupyterhub.auth:PAMAuthenticator

[jupyterhub.proxies]
configurable-http-proxy = jupyterhub.proxy:ConfigurableHTTPProxy
default = jupyterhub.proxy:ConfigurableHTTPProxy

[jupyterhub.spawners]
default = jupyterhub.spawner:LocalProcessSpawner
localprocess = jupyterhub.spawner:LocalProcessSpawner
simple = jupyterhub.spawner:SimpleLocalProcessSpawner
`

func jupyterhubDist(version string) dist {
	return dist{Name: "jupyterhub", Version: version, RequiresPython: ">=3.8", Module: "jupyterhub",
		Requires: []string{"alembic>=1.4", "certipy>=0.1.2", "jinja2>=2.11.0", "SQLAlchemy>=1.4.1", "tornado>=5.1", "traitlets>=4.3.2",
			`importlib-metadata>=3.6; python_version < "3.10"`, `pamela>=1.1.0; sys_platform != "win32"`, `pytest; extra == "test"`},
		EntryPoints: jupyterhubEntryPoints}
}
