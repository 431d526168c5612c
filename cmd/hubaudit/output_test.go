//go:build unix

package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// golden returns a demo golden file.
func golden(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(demoDir, "..", "..", "cmd", "hubaudit", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSeveralOutputs writes SARIF, JUnit and Markdown files next to the
// table on stdout from one audit; each is what --format prints alone (the
// golden files), each file has mode 0644 under umask 022, and no temporary
// file is left behind.
func TestSeveralOutputs(t *testing.T) {
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)
	t.Chdir(demoDir)
	out := t.TempDir()
	sarif, junit, md := filepath.Join(out, "hubaudit.sarif"), filepath.Join(out, "report.xml"), filepath.Join(out, "summary.md")
	code, stdout, errs, audits := hubauditCounting(t, nil, "pre", "--target", "latest",
		"--output", "sarif="+sarif, "--output", "junit="+junit, "-o", "md="+md)
	if code != exitFindings || audits != 1 {
		t.Fatalf("exit %d, %d audits, want 1 and 1\n%s", code, audits, errs)
	}
	if normalize(stdout) != golden(t, "demo-pre.table.golden") {
		t.Errorf("stdout is not the table:\n%s", stdout)
	}
	for path, format := range map[string]string{sarif: "sarif", junit: "junit", md: "markdown"} {
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if normalize(string(b)) != golden(t, "demo-pre."+format+".golden") {
			t.Errorf("%s differs from what --format %s prints", path, format)
		}
		st, _ := os.Stat(path)
		if st.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", path, st.Mode().Perm())
		}
	}
	ents, _ := os.ReadDir(out)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if !slices.Equal(names, []string{"hubaudit.sarif", "report.xml", "summary.md"}) {
		t.Errorf("files in the output folder: %v", names)
	}

	// A file that exists keeps its mode when the report replaces it.
	os.Chmod(sarif, 0o600)
	if code, _, errs := hubaudit(t, nil, "pre", "--target", "latest", "--output", "sarif="+sarif); code != exitFindings {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	if st, _ := os.Stat(sarif); st.Mode().Perm() != 0o600 {
		t.Errorf("replaced file: mode %v, want 0600 kept", st.Mode().Perm())
	}
}

// TestOutputStdout: "-" is stdout, in every form, and no file named "-"
// appears; a bare --output keeps its old meaning (the report goes there
// instead of stdout, in --format or the format of its extension).
func TestOutputStdout(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	cases := []struct {
		args []string
		want string // the beginning of stdout
	}{
		{[]string{"-o", "-"}, "hubaudit pre --target 5.5.1\n"},
		{[]string{"--format", "json", "-o", "-"}, "{\n"},
		{[]string{"--output", "json=-"}, "{\n"},
		{[]string{"--output", "md=-", "--output", "sarif=" + filepath.Join(dir, "a.sarif")}, "## hubaudit pre"},
		{[]string{"--format", "json", "-o", "r.txt"}, ""},
		{[]string{"-o", "r.json"}, ""},
	}
	for _, c := range cases {
		args := append([]string{"pre", "--target", "latest", "--dir", demoDir}, c.args...)
		code, out, errs := hubaudit(t, nil, args...)
		if code != exitFindings || !strings.HasPrefix(out, c.want) || (c.want == "") != (out == "") {
			t.Errorf("%v: exit %d, stdout begins %.40q, want %q\n%s", c.args, code, out, c.want, errs)
		}
	}
	if _, err := os.Stat("-"); err == nil {
		t.Error(`a file named "-" was written`)
	}
	for file, prefix := range map[string]string{"r.txt": "{\n", "r.json": "{\n", "a.sarif": "{\n"} {
		if b, _ := os.ReadFile(file); !strings.HasPrefix(string(b), prefix) {
			t.Errorf("%s begins %.40q", file, b)
		}
	}
}

// TestOutputConflicts: outputs that cannot all be written as asked are
// usage errors found before the audit runs, and nothing is written.
func TestOutputConflicts(t *testing.T) {
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a.json"), filepath.Join(dir, "b.json")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"-o", a, "-o", b}, "--output given 2 times without a format (" + a + ", " + b + ")"},
		{[]string{"--output", "json=" + a, "--output", "sarif=" + a}, "--output json=" + a + " and --output sarif=" + a + " both write to the same file"},
		{[]string{"--output", "json=" + a, "-o", filepath.Join(dir, ".", "a.json")}, "both write to the same file"},
		{[]string{"-o", "-", "--output", "json=-"}, "--output - and --output json=- both write to stdout"},
		{[]string{"--output", "sarif="}, "--output sarif=: no file name"},
		{[]string{"--output", "sarif=" + filepath.Join(dir, "missing", "a.sarif")}, "folder " + filepath.Join(dir, "missing") + " does not exist"},
		{[]string{"--output", "json=" + dir}, "--output json=" + dir + ": is a directory"},
		{[]string{"--snapshot", a, "--output", "json=" + a}, "--snapshot " + a + " and --output json=" + a + " both write to the same file"},
		{[]string{"--format", "yaml", "--output", "json=" + a}, `unknown --format "yaml"`},
	}
	for _, c := range cases {
		args := append([]string{"pre", "--target", "latest", "--dir", demoDir}, c.args...)
		code, out, errs, audits := hubauditCounting(t, nil, args...)
		if code != exitUsage || audits != 0 || out != "" || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d after %d audits, stdout %.40q, stderr %q lacks %q", c.args, code, audits, out, errs, c.want)
		}
	}
	if ents, _ := os.ReadDir(dir); len(ents) != 0 {
		t.Errorf("files written: %v", ents)
	}
}
