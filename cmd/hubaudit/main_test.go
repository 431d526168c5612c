package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/audit"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// demoDir is the bundled demo deployment.
var demoDir, _ = filepath.Abs("../../examples/demo")

// hubaudit runs the CLI in-process with a controlled environment (no PATH,
// so no jupyterhub is found on the machine) and returns its exit code and
// output.
func hubaudit(t *testing.T, environ map[string]string, args ...string) (int, string, string) {
	t.Helper()
	code, out, errs, _ := hubauditCounting(t, environ, args...)
	return code, out, errs
}

// hubauditCounting is hubaudit that also returns how many audits ran
// (collections of the inputs).
func hubauditCounting(t *testing.T, environ map[string]string, args ...string) (code int, stdout, stderr string, audits int) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return environ[k] }, isTerminal: func(io.Writer) bool { return false },
		audit: func(ctx context.Context, o audit.Options) (*audit.Outcome, error) {
			audits++
			return audit.Run(ctx, o)
		}}
	code = e.run(context.Background(), args)
	return code, out.String(), errb.String(), audits
}

func TestVersions(t *testing.T) {
	code, out, _ := hubaudit(t, nil, "versions")
	if code != 0 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(out, "57 releases") {
		t.Errorf("no 57 releases:\n%s", out)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`5\.5\.1\s+│ 2026-08-10 │ 4621fec11365 │ >=3\.8`),
		regexp.MustCompile(`4\.1\.6\s+│ 2024-07-31 │ 0eee8c825d24 │ >=3\.7`),
		regexp.MustCompile(`6\.0\.0b2\s+│ 2026-08-14 │ f460b0348206 │ >=3\.10 │ pre-release`),
	} {
		if !want.MatchString(out) {
			t.Errorf("versions output lacks %s", want)
		}
	}
	code, out, _ = hubaudit(t, nil, "versions", "--format", "json")
	var rows []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rows) != nil || len(rows) != 57 {
		t.Errorf("json versions: exit %d, %d rows", code, len(rows))
	}
}

func TestUsageErrors(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"pre", "--target", "5.9.9", "--dir", demoDir}, `unknown JupyterHub version "5.9.9"`},
		{[]string{"pre", "--target", "9.9", "--dir", demoDir}, "JupyterHub 9.9 is newer than hubaudit's knowledge, which ends at 6.0.0b2 (2026-08-14)"},
		{[]string{"pre", "--target", "./no-such-venv", "--dir", demoDir}, "--target ./no-such-venv: stat ./no-such-venv: no such file or directory"},
		{[]string{"pre", "--dir", demoDir}, "pre needs --target"},
		{[]string{"pre", "--target", "5.5.1", "--bogus"}, "unknown flag: --bogus"},
		{[]string{"pre", "--target", "5.5.1", "--dir", demoDir, "--config", "/nonexistent/jupyterhub_config.py"}, "--config /nonexistent/jupyterhub_config.py: no such file or directory"},
		{[]string{"pre", "--target", "5.5.1", "--dir", "/nonexistent"}, "--dir /nonexistent: not a readable directory"},
		{[]string{"pre", "--target", "5.5.1", "--dir", demoDir, "--format", "yaml"}, `unknown --format "yaml"`},
		{[]string{"pre", "--target", "5.5.1", "--dir", demoDir, "--fail-on", "sometimes"}, "--fail-on"},
		{[]string{"pre", "--target", "5.5.1", "--dir", demoDir, "--checks", "HUB999"}, `"HUB999" matches no rule`},
		{[]string{"pre", "--target", "5.5.1", "--dir", demoDir, "--since", "yesterday"}, `--since: "yesterday" is not an RFC 3339 time`},
		{[]string{"post", "--dir", demoDir, "--hub-url", "ftp://admin:pw@hub/"}, `--hub-url: hub URL "ftp://hub/": scheme must be http or https`},
		{[]string{"post", "--dir", demoDir, "--hub-url", "127.0.0.1:8081"}, `scheme must be http or https`},
		{[]string{"pre", "--target", "5.5.1", "--dir", demoDir, "--timeout", "-1s"}, `--timeout -1s: must be positive`},
		{[]string{"post", "--dir", demoDir, "--baseline", "/nonexistent.json"}, "--baseline /nonexistent.json"},
		{[]string{"explain", "HUB000"}, `no rule "HUB000"`},
		{[]string{"fix-config"}, "fix-config needs --target"},
		{[]string{"backup"}, "backup needs --to"},
		{[]string{"nosuchcommand"}, "unknown command"},
	}
	for _, c := range cases {
		code, out, errs := hubaudit(t, nil, c.args...)
		if code != exitUsage {
			t.Errorf("%v: exit %d, want 2\n%s", c.args, code, errs)
		}
		if !strings.HasPrefix(errs, "hubaudit: error: ") || !strings.Contains(errs, c.want) {
			t.Errorf("%v: stderr %q lacks %q", c.args, errs, c.want)
		}
		if out != "" {
			t.Errorf("%v: wrote to stdout: %q", c.args, out)
		}
	}
	_, _, errs := hubaudit(t, nil, "pre", "--target", "5.9.9", "--dir", demoDir)
	if !strings.Contains(errs, "hint: known versions: 0.9.0, ") || !strings.Contains(errs, "5.5.1, 6.0.0b1, 6.0.0b2") {
		t.Errorf("hint does not list the known versions: %q", errs)
	}
	_, _, errs = hubaudit(t, nil, "pre", "--target", "6.1.1", "--dir", demoDir)
	if !strings.Contains(errs, "hint: point --target at a package of 6.1.1 instead") {
		t.Errorf("a release newer than the knowledge base: no hint to point --target at its package: %q", errs)
	}
}

// treeHash hashes every file under dir (names, modes and contents).
func treeHash(t *testing.T, dir string) string {
	t.Helper()
	h := sha256.New()
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			t.Fatal(err)
		}
		info, _ := d.Info()
		fmt.Fprintf(h, "%s %v %d\n", p, info.Mode(), info.Size())
		if d.Type().IsRegular() {
			b, _ := os.ReadFile(p)
			h.Write(b)
		}
		return nil
	})
	return fmt.Sprintf("%x", h.Sum(nil))
}

var volatile = regexp.MustCompile(`("(size|owner_uid|free_bytes|free_space|disk_free|mtime|modified|age_seconds|age_days|dir_free|dir_owner_writable|owner_writable|server_version)": )[^,\n]+`)

var backupStamp = regexp.MustCompile(`hubaudit-backup-\d{8}-\d{6}`)

// normalize blanks what differs between machines and runs: file sizes,
// owners, free space, the checkout path, timestamps in suggested names.
func normalize(out string) string {
	out = volatile.ReplaceAllString(out, "${1}\"<volatile>\"")
	out = strings.ReplaceAll(out, demoDir, "<demo>")
	return backupStamp.ReplaceAllString(out, "hubaudit-backup-<stamp>")
}

// TestDemoGolden runs the README's first command on the demo deployment in
// every format and compares with golden files; the deployment is not
// changed by the audit.
func TestDemoGolden(t *testing.T) {
	t.Chdir(demoDir)
	before := treeHash(t, ".")
	for _, format := range []string{"table", "json", "junit", "sarif", "markdown", "codeclimate"} {
		t.Run(format, func(t *testing.T) {
			code, out, errs := hubaudit(t, nil, "pre", "--target", "latest", "--format", format)
			if code != exitFindings {
				t.Errorf("exit %d, want 1 (the demo has errors)\n%s", code, errs)
			}
			checkGolden(t, filepath.Join("..", "..", "cmd", "hubaudit", "testdata", "demo-pre."+format+".golden"), normalize(out), "")
		})
	}
	if after := treeHash(t, "."); after != before {
		t.Error("the audit changed the demo deployment")
	}
}

// checkGolden compares out with the golden file (rewriting it first under
// -update); stderr, when not empty, is shown with a difference.
func checkGolden(t *testing.T, golden, out, stderr string) {
	t.Helper()
	if *update {
		os.WriteFile(golden, []byte(out), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (go test ./cmd/hubaudit -update)", err)
	}
	if out != string(want) {
		if stderr != "" {
			out += "\nstderr: " + stderr
		}
		t.Errorf("output differs from %s (go test ./cmd/hubaudit -update to accept):\n%s", golden, out)
	}
}

func TestDemoJSONAndFailOn(t *testing.T) {
	code, out, _ := hubaudit(t, nil, "pre", "--target", "latest", "--dir", demoDir, "--format", "json")
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if code != 1 || rep["verdict"] != "not_ready" || rep["target_version"] != "5.5.1" || rep["current_version"] != "4.1.6" {
		t.Errorf("exit %d verdict %v target %v current %v", code, rep["verdict"], rep["target_version"], rep["current_version"])
	}
	for _, secret := range []string{"3f1c9e0b7d2a4c5e8f6a1b2c3d4e5f6a7b8c9d0e", "sha512:1:"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q in the report", secret)
		}
	}
	if code, _, _ := hubaudit(t, nil, "pre", "--target", "latest", "--dir", demoDir, "--fail-on", "never"); code != 0 {
		t.Errorf("--fail-on never: exit %d", code)
	}
	if code, _, _ := hubaudit(t, nil, "pre", "--target", "latest", "--dir", demoDir, "--checks", "HUB505"); code != 0 {
		t.Errorf("--checks HUB505 (a note): exit %d", code)
	}
	if code, _, _ := hubaudit(t, nil, "pre", "--target", "latest", "--dir", demoDir, "--checks", "HUB505", "--fail-on", "note"); code != 1 {
		t.Errorf("--fail-on note with a note: exit %d", code)
	}
	outFile := filepath.Join(t.TempDir(), "report.sarif")
	code, out, _ = hubaudit(t, nil, "pre", "--target", "5.5", "--dir", demoDir, "-o", outFile)
	b, err := os.ReadFile(outFile)
	if code != 1 || out != "" || err != nil || !bytes.Contains(b, []byte(`"version": "2.1.0"`)) {
		t.Errorf("-o report.sarif: exit %d, stdout %q, err %v", code, out, err)
	}
}

func TestRulesAndExplain(t *testing.T) {
	code, out, _ := hubaudit(t, nil, "rules", "--format", "json")
	var rs []map[string]any
	if code != 0 || json.Unmarshal([]byte(out), &rs) != nil || len(rs) < 20 {
		t.Fatalf("rules json: exit %d, %d rules", code, len(rs))
	}
	code, out, _ = hubaudit(t, nil, "explain", "hub510")
	if code != 0 || !strings.HasPrefix(out, "HUB510 data-lost (error, upgrade; runs in post)") {
		t.Errorf("explain: %d %q", code, out)
	}
	code, out, _ = hubaudit(t, nil, "version")
	if code != 0 || !strings.Contains(out, "57 JupyterHub releases") || !strings.Contains(out, "to 6.0.0b2 (released 2026-08-14; latest final 5.5.1)") {
		t.Errorf("version: %q", out)
	}
}

// copyDemo copies the demo deployment into a temporary directory.
func copyDemo(t *testing.T) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(demoDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(demoDir, p)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestCollectorFailure: a database that cannot be read becomes HUB901, the
// database rules are skipped with the reason, and the password in the URL
// appears nowhere.
func TestCollectorFailure(t *testing.T) {
	notDB := filepath.Join(t.TempDir(), "jupyterhub.sqlite")
	os.WriteFile(notDB, []byte("this is not a database\n"), 0o644)
	code, out, _ := hubaudit(t, nil, "pre", "--target", "latest", "--dir", demoDir, "--db", "sqlite:///"+notDB, "--checks", "HUB2*,HUB9*", "--format", "json")
	r := decode(t, out)
	if code != 1 || len(r.Findings) != 1 || r.Findings[0].RuleID != "HUB901" || r.Findings[0].Location.Subject != "source:db" {
		t.Fatalf("exit %d, findings %+v", code, r.Findings)
	}
	if !strings.Contains(r.Findings[0].Message, "is not a SQLite database") {
		t.Errorf("message %q", r.Findings[0].Message)
	}
	var m map[string]any
	json.Unmarshal([]byte(out), &m)
	skipped := m["skipped"].([]any)
	if len(skipped) < 10 || !strings.HasPrefix(skipped[0].(map[string]any)["reason"].(string), "db: ") {
		t.Errorf("skipped: %v", skipped)
	}
	// A refused server connection, with a password in the URL given
	// through HUBAUDIT_DB_URL.
	env := map[string]string{"HUBAUDIT_DB_URL": "postgresql://hub:s3cretpw@127.0.0.1:1/hub"}
	for _, format := range []string{"json", "table", "markdown", "sarif", "junit"} {
		code, out, errs := hubaudit(t, env, "pre", "--target", "latest", "--dir", demoDir, "--checks", "HUB2*,HUB9*", "--format", format)
		if code != 1 || strings.Contains(out+errs, "s3cretpw") || !strings.Contains(out, "HUB901") {
			t.Errorf("%s: exit %d, password shown or HUB901 missing:\n%s", format, code, out)
		}
	}
}
