package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnreadableInputs: every flag that names an input refuses one that
// cannot be read with exit 2 and a message naming the flag and the value,
// without writing to stdout.
func TestUnreadableInputs(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	locked := filepath.Join(dir, "locked.txt")
	os.WriteFile(locked, []byte("jupyterhub==4.1.6\n"), 0o000)
	pre := []string{"pre", "--target", "latest", "--dir", demoDir}
	post := []string{"post", "--dir", demoDir}
	cases := []struct {
		args    []string
		environ map[string]string
		want    string
	}{
		{append(pre, "--config", missing), nil, "--config " + missing + ": no such file or directory"},
		{append(pre, "--log", missing), nil, "--log " + missing + ": no such file or directory"},
		{append(pre, "--log", missing+"*.log"), nil, "--log " + missing + "*.log: matches no file"},
		{append(pre, "--db", missing), nil, "--db " + missing + ": no such file or directory"},
		{append(pre, "--db", "sqlite:///"+missing), nil, "--db sqlite:///" + missing + ": no such file or directory"},
		{append(pre, "--db", "oracle://hub:pw@db/hub"), nil, `--db: database URL oracle://hub:***@db/hub: unsupported dialect "oracle"`},
		{pre, map[string]string{"HUBAUDIT_DB_URL": "sqlite:///" + missing}, "HUBAUDIT_DB_URL sqlite:///" + missing + ": no such file or directory"},
		{append(pre, "--hub-env", missing), nil, "--hub-env " + missing + ": no such file or directory"},
		{append(pre, "--user-env", missing), nil, "--user-env " + missing + ": no such file or directory"},
		{append(pre, "--user-env", "image="+missing), nil, "--user-env image=" + missing + ": no such file or directory"},
		{append(post, "--baseline", missing), nil, "--baseline " + missing + ": no such file or directory"},
		{append(pre, "--backup", missing), nil, "--backup " + missing + ": no such file or directory"},
		{append(pre, "--chart-version", missing+".json"), nil, "--chart-version " + missing + ".json: no such file or directory"},
		{append(post, "--chart-version", "helm-list.json"), nil, "--chart-version helm-list.json: no such file or directory"},
		{append(pre, "--target", missing), nil, "--target " + missing + ": stat " + missing + ": no such file or directory"},
		{append(post, "--hub-url", "https://127.0.0.1:1/hub/", "--ca-cert", missing), nil, "--ca-cert " + missing + ": no such file or directory"},
		{append(post, "--hub-url", "https://127.0.0.1:1/hub/", "--api-token-file", missing), nil, "--api-token-file: cannot read " + missing},
		{[]string{"pre", "--target", "latest", "--dir", missing}, nil, "--dir " + missing + ": not a readable directory"},
		{[]string{"fix-config", "--target", "latest", "--config", missing}, nil, "cannot read " + missing},
		{[]string{"backup", "--to", dir, "--dir", demoDir, "--config", missing}, nil, "--config " + missing + ": no such file or directory"},
		{[]string{"backup", "--to", dir, "--dir", demoDir, "--db", missing}, nil, "--db " + missing + ": no such file or directory"},
	}
	if os.Getuid() != 0 { // root reads any file
		cases = append(cases, struct {
			args    []string
			environ map[string]string
			want    string
		}{append(pre, "--hub-env", locked), nil, "--hub-env " + locked + ": permission denied"})
	}
	for _, c := range cases {
		code, out, errs := hubaudit(t, c.environ, c.args...)
		if code != exitUsage || out != "" || !strings.HasPrefix(errs, "hubaudit: error: ") || !strings.Contains(errs, c.want) {
			t.Errorf("%v: exit %d, stdout %.40q, stderr %q; want exit 2 and %q", c.args, code, out, errs, c.want)
		}
		if strings.Contains(errs, ":pw@") {
			t.Errorf("%v: the password is shown: %q", c.args, errs)
		}
	}
}

// TestFixConfigShowsNoSecret: fix-config prints the renames next to
// secrets of every form without them: a password, a db_url, a cookie
// secret, a client secret, a proxy token, API tokens as dict keys over
// several lines, a service's api_token inside a list of dicts, a token in
// an environment dict; with --write too.
func TestFixConfigShowsNoSecret(t *testing.T) {
	cfg := filepath.Join(t.TempDir(), "jupyterhub_config.py")
	src := strings.Join([]string{
		"c = get_config()",
		"c.DummyAuthenticator.password = 'hunter2-s3cret'",
		"c.Authenticator.whitelist = {'alice'}",
		"c.JupyterHub.db_url = 'postgresql://hub:db-s3cret@db/hub'",
		"c.JupyterHub.cookie_secret = bytes.fromhex('c0ffee5ecret0000')",
		"c.GitHubOAuthenticator.client_secret = \"gh-s3cret\"",
		"c.JupyterHub.api_tokens = {",
		"    'tok-s3cret': 'alice',",
		"}",
		"c.JupyterHub.services = [{'name': 'x', 'api_token': 'svc-s3cret'}]",
		"c.Spawner.environment = {'GITHUB_TOKEN': 'env-s3cret'}",
		"c.Authenticator.blacklist = {'bob'}",
		"c.ConfigurableHTTPProxy.auth_token = 'proxy-s3cret'",
		"",
	}, "\n")
	os.WriteFile(cfg, []byte(src), 0o644)
	for _, write := range []bool{false, true} {
		args := []string{"fix-config", "--target", "latest", "--config", cfg}
		if write {
			args = append(args, "--write")
		}
		code, out, errs := hubaudit(t, nil, args...)
		if code != 0 || !strings.Contains(out, "+c.Authenticator.allowed_users = {'alice'}") || !strings.Contains(out, "+c.Authenticator.blocked_users = {'bob'}") {
			t.Errorf("--write %v: exit %d, a rename is missing:\n%s%s", write, code, out, errs)
		}
		if strings.Contains(out+errs, "s3cret") || strings.Contains(out+errs, "c0ffee") {
			t.Errorf("--write %v: a secret is shown:\n%s%s", write, out, errs)
		}
	}
}
