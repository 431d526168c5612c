package snapshot

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/report"
)

func TestRedactConfig(t *testing.T) {
	in := strings.Join([]string{
		`c.JupyterHub.cookie_secret = bytes.fromhex("deadbeef")`,
		`c.JupyterHub.db_url = "postgresql://hub:s3cret@db/hub"`,
		`c.GitHubOAuthenticator.client_secret = "abc123"`,
		`c.Authenticator.admin_users = {"alice"}`,
		`# c.JupyterHub.cookie_secret = "commented"`,
		`hub:`,
		`  cookieSecret: "zzz"`,
		// Python reads identifiers NFKC-normalized: this is cookie_secret,
		// and the case-insensitive pattern knows the long s.
		`c.JupyterHub.cookie_ſecret = "longs"`,
		`c.JupyterHub.COOKIE_SECRET = "upper"`,
		// Secret keys inside a value, on the assignment's line or on
		// lines of their own.
		`c.JupyterHub.services = [{'name': 'x', 'api_token': 'svc1'}, {"name": "y", "api_token": "svc2"}]`,
		`c.JupyterHub.services = [`,
		`    {'name': 'z', 'api_token': 'svc3', 'url': 'http://z'},`,
		`    dict(name='w', api_token="svc4"),`,
		`]`,
		`c.Spawner.environment = {'GITHUB_TOKEN': 'ghp_env1', 'LANG': 'C.UTF-8'}`,
		// A secret-named assignment whose value continues on more lines.
		`c.JupyterHub.api_tokens = {`,
		`    'tok1': 'alice',`,
		`    'tok2': 'bob',  # "}" in a comment`,
		`}`,
		`c.DummyAuthenticator.password = """pw1`,
		`pw2"""`,
		`c.Authenticator.allowed_users = {"carol"}`,
	}, "\n")
	out := RedactConfig(in)
	for _, secret := range []string{"deadbeef", "s3cret", "abc123", "zzz", "longs", "upper", "svc1", "svc2", "svc3", "svc4", "ghp_env1", "tok1", "tok2", "pw1", "pw2"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q left in:\n%s", secret, out)
		}
	}
	for _, kept := range []string{"commented", `'name': 'z'`, `'url': 'http://z'`, `'LANG': 'C.UTF-8'`, `c.Authenticator.allowed_users = {"carol"}`} {
		if !strings.Contains(out, kept) {
			t.Errorf("%q was changed:\n%s", kept, out)
		}
	}
	if strings.Count(out, "\n") != strings.Count(in, "\n") {
		t.Errorf("lines added or lost:\n%s", out)
	}
	if !strings.Contains(out, `c.Authenticator.admin_users = {"alice"}`) || !strings.Contains(out, "commented") {
		t.Errorf("non-secret lines changed:\n%s", out)
	}
}

func TestRoundTrip(t *testing.T) {
	v := "4.1.6"
	s := &Snapshot{Report: &report.Report{SchemaVersion: 1, Mode: "pre", CurrentVersion: &v}, ConfigTexts: map[string]string{"a.py": "x"}}
	var buf bytes.Buffer
	if err := Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), "snap.json")
	os.WriteFile(p, buf.Bytes(), 0o644)
	got, err := Read(p)
	if err != nil || *got.Report.CurrentVersion != "4.1.6" || got.ConfigTexts["a.py"] != "x" {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	os.WriteFile(p, []byte(`{"foo":1}`), 0o644)
	if _, err := Read(p); err == nil {
		t.Error("non-snapshot accepted")
	}
	if _, err := Read(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file accepted")
	}
}
