package env

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// buildWheel writes a tiny pure-Python wheel for d into dir and returns
// its path. The layout is the one the wheel spec (PEP 427) defines.
func buildWheel(t *testing.T, dir string, d dist) string {
	t.Helper()
	norm := strings.ReplaceAll(d.Name, "-", "_")
	di := norm + "-" + d.Version + ".dist-info/"
	files := [][2]string{
		{d.Module + "/__init__.py", "VERSION = " + fmt.Sprintf("%q", d.Version) + "\n"},
		{di + "METADATA", d.metadata()},
		{di + "WHEEL", "Wheel-Version: 1.0\nGenerator: hubaudit-test\nRoot-Is-Purelib: true\nTag: py3-none-any\n"},
	}
	if d.EntryPoints != "" {
		files = append(files, [2]string{di + "entry_points.txt", d.EntryPoints})
	}
	var record strings.Builder
	for _, f := range files {
		sum := sha256.Sum256([]byte(f[1]))
		fmt.Fprintf(&record, "%s,sha256=%s,%d\n", f[0], base64.RawURLEncoding.EncodeToString(sum[:]), len(f[1]))
	}
	record.WriteString(di + "RECORD,,\n")
	files = append(files, [2]string{di + "RECORD", record.String()})
	path := filepath.Join(dir, norm+"-"+d.Version+"-py3-none-any.whl")
	out, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(out)
	for _, f := range files {
		w, err := zw.Create(f[0])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(f[1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := out.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRealPip installs wheels with the real python3 -m venv and pip, then
// reads the prefix and every pip export of it, and checks they agree.
func TestRealPip(t *testing.T) {
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 not installed")
	}
	if exec.Command(py, "-m", "pip", "--version").Run() != nil {
		t.Skip("pip not installed")
	}
	root := t.TempDir()
	venv := filepath.Join(root, "hub")
	if out, err := exec.Command(py, "-m", "venv", "--without-pip", venv).CombinedOutput(); err != nil {
		t.Skipf("python3 -m venv failed: %v\n%s", err, out)
	}
	hub := jupyterhubDist("4.1.6")
	hub.Requires = []string{"tornado>=5.1", `importlib-metadata>=3.6; python_version < "3.10"`}
	wheels := []string{
		buildWheel(t, root, hub),
		buildWheel(t, root, dist{Name: "tornado", Version: "6.4.1", Module: "tornado"}),
		buildWheel(t, root, dist{Name: "my-authenticator", Version: "0.3.0", Module: "myauth", Requires: []string{"jupyterhub>=5"},
			EntryPoints: "[jupyterhub.authenticators]\nmyauth = myauth:MyAuthenticator\n"}),
	}
	pip := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(py, append([]string{"-m", "pip", "--python", filepath.Join(venv, "bin", "python"), "--disable-pip-version-check", "--no-input"}, args...)...)
		cmd.Env = append(os.Environ(), "PIP_NO_INDEX=1", "PIP_CONFIG_FILE=/dev/null")
		out, err := cmd.Output()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok && len(args) > 0 && args[0] == "check" {
				return string(out)
			} else if ok {
				t.Skipf("pip %v: %v\n%s", args, err, ee.Stderr)
			}
			t.Skipf("pip %v: %v", args, err)
		}
		return string(out)
	}
	pip(append([]string{"install", "--no-index", "--no-deps", "--quiet"}, wheels...)...)

	f, err := Collect(Options{PathEnv: filepath.Join(venv, "bin")})
	if err != nil {
		t.Fatal(err)
	}
	e := f.Hub()
	if e.Path != venv || e.Kind != KindPrefix {
		t.Fatalf("hub env %q kind %q, want %q prefix", e.Path, e.Kind, venv)
	}
	want := map[string]string{"jupyterhub": "4.1.6", "tornado": "6.4.1", "my-authenticator": "0.3.0"}
	if !reflect.DeepEqual(e.Packages, want) {
		t.Errorf("prefix packages %v, want %v", e.Packages, want)
	}
	if e.EntryPoints["jupyterhub.authenticators"]["myauth"] != "my-authenticator" {
		t.Errorf("entry points %v", e.EntryPoints)
	}
	if !reflect.DeepEqual(e.Commands, []string{"jupyterhub", "jupyterhub-singleuser"}) {
		t.Errorf("commands %v", e.Commands)
	}
	if len(e.Problems) != 0 || e.Python == "" {
		t.Errorf("python %q problems %v", e.Python, e.Problems)
	}

	// Every export format pip writes reads back to the same packages.
	for _, args := range [][]string{{"freeze", "--all"}, {"list", "--format=json"}, {"list"}, {"inspect"}} {
		out := pip(args...)
		x := Environment{Path: strings.Join(args, " "), Packages: map[string]string{}}
		readExport(&x, []byte(out))
		got := map[string]string{}
		for k, v := range x.Packages {
			if k != "pip" && k != "setuptools" {
				got[k] = v
			}
		}
		if !reflect.DeepEqual(got, want) || len(x.Problems) != 0 {
			t.Errorf("pip %s (%s): packages %v problems %v\n%s", strings.Join(args, " "), x.Kind, got, x.Problems, out)
		}
		if args[0] == "inspect" {
			if x.Kind != KindPipInspect || x.Python == "" || len(x.Requires["my-authenticator"]) != 1 {
				t.Errorf("pip inspect: kind %q python %q requires %v", x.Kind, x.Python, x.Requires)
			}
		}
	}
	// pip check sees the same unsatisfied requirement the rules will.
	check := pip("check")
	if !strings.Contains(check, "my-authenticator 0.3.0 has requirement jupyterhub>=5, but you have jupyterhub 4.1.6") {
		t.Errorf("pip check said:\n%s", check)
	}
}
