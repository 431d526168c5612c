package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks"
)

func write(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func traits(f *Facts) []string {
	var out []string
	for _, a := range f.Assignments {
		out = append(out, a.Trait)
	}
	return out
}

func TestCollectDirLoadOrder(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "jupyterhub_config.py"), "c.JupyterHub.port = 1\n")
	write(t, filepath.Join(dir, "jupyterhub_config.d", "20-b.py"), "c.JupyterHub.port = 3\n")
	write(t, filepath.Join(dir, "jupyterhub_config.d", "10-a.py"), "c.JupyterHub.port = 2\n")
	write(t, filepath.Join(dir, "jupyterhub_config.d", "notes.txt"), "c.JupyterHub.port = 9\n")
	f, err := Collect(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{filepath.Join(dir, "jupyterhub_config.py"), filepath.Join(dir, "jupyterhub_config.d", "10-a.py"), filepath.Join(dir, "jupyterhub_config.d", "20-b.py")}
	if !reflect.DeepEqual(f.Files, want) {
		t.Fatalf("files %v, want %v", f.Files, want)
	}
	var vals []any
	for _, a := range f.Assignments {
		vals = append(vals, a.Value)
	}
	if !reflect.DeepEqual(vals, []any{int64(1), int64(2), int64(3)}) {
		t.Fatalf("values %v", vals)
	}
	// A jupyterhub_config.d directory given with --config.
	f, err = Collect(Options{Files: []string{filepath.Join(dir, "jupyterhub_config.d")}})
	if err != nil || len(f.Files) != 2 {
		t.Fatalf("dir as --config: %v %v", f, err)
	}
}

func TestCollectAbsentAndMissing(t *testing.T) {
	dir := t.TempDir()
	_, err := Collect(Options{Dir: dir})
	var ab *checks.AbsentError
	if !errors.As(err, &ab) || !strings.Contains(err.Error(), "no jupyterhub_config.py in "+dir) {
		t.Fatalf("want absent, got %v", err)
	}
	_, err = Collect(Options{Files: []string{filepath.Join(dir, "nope.py")}})
	if err == nil || errors.As(err, &ab) {
		t.Fatalf("a named missing file must be an error, got %v", err)
	}
}

// TestBadInputs: binary, empty, non-UTF-8, huge and broken files each give
// a clear fact, never a panic.
func TestBadInputs(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.py")
	fh, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	fh.WriteString("c.JupyterHub.port = 8000\n")
	if err := fh.Truncate(50 << 20); err != nil {
		t.Fatal(err)
	}
	fh.Close()
	cases := []struct {
		name, content string
		reason        string
		line          int
	}{
		{"binary.py", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file", 3},
		{"latin1.py", "c.JupyterHub.port = 1\nc.JupyterHub.template_vars = {'n': 'caf\xe9'}\n", "not valid UTF-8", 2},
		{"syntax.py", "c.JupyterHub.port = 1\nc.JupyterHub.ip = = 2\nc.JupyterHub.hub_ip = '1'\n", "invalid Python syntax", 2},
		{"unterminated.py", "c.JupyterHub.port = 1\nc.JupyterHub.ip = 'abc\nc.JupyterHub.hub_ip = '1'\n", "string is not closed", 2},
		{"indent.py", "c.JupyterHub.port = 1\n  c.JupyterHub.ip = '1'\n", "indentation", 2},
	}
	for _, c := range cases {
		p := filepath.Join(dir, c.name)
		write(t, p, c.content)
		f, err := Collect(Options{Files: []string{p}})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if len(f.ParseErrors) == 0 || !strings.Contains(f.ParseErrors[0].Reason, c.reason) || f.ParseErrors[0].Line != c.line {
			t.Errorf("%s: parse errors %+v, want %q at line %d", c.name, f.ParseErrors, c.reason, c.line)
		}
	}
	// The rest of a broken file is still analysed.
	f, _ := Collect(Options{Files: []string{filepath.Join(dir, "syntax.py")}})
	if got := traits(f); !reflect.DeepEqual(got, []string{"JupyterHub.port", "JupyterHub.hub_ip"}) {
		t.Errorf("syntax.py: extracted %v", got)
	}
	f, _ = Collect(Options{Files: []string{filepath.Join(dir, "latin1.py")}})
	if len(f.Assignments) != 2 {
		t.Errorf("latin1.py: extracted %v", traits(f))
	}
	f, err = Collect(Options{Files: []string{big}})
	if err != nil || len(f.ParseErrors) != 1 || !strings.Contains(f.ParseErrors[0].Reason, "larger than") {
		t.Errorf("50 MB file: %+v %v", f.ParseErrors, err)
	}
	write(t, filepath.Join(dir, "empty.py"), "\n  \n")
	f, err = Collect(Options{Files: []string{filepath.Join(dir, "empty.py")}})
	if err != nil || len(f.EmptyFiles) != 1 || len(f.Assignments) != 0 {
		t.Errorf("empty file: %+v %v", f, err)
	}
}

func TestSecretsNeverSerialized(t *testing.T) {
	src := `c.JupyterHub.cookie_secret = "s3cr3tA"
c.JupyterHub.db_url = "mysql+pymysql://hub:s3cr3tB@db/hub?charset=utf8"
c.GitLabOAuthenticator.client_secret = "s3cr3tC"
c.JupyterHub.services = [{"name": "x", "api_token": "s3cr3tD"}]
c.JupyterHub.api_tokens = {"s3cr3tE": "admin"}
c.KubeSpawner.environment = {"DB_PASSWORD": "s3cr3tF", "OK": "visible"}
c.ConfigurableHTTPProxy.auth_token = "s3cr3tG"
c.JupyterHub.cookie_secret = os.environ.get("COOKIE", "s3cr3tH")
c.JupyterHub.db_url = os.environ.get("DB_URL", "postgresql://u:s3cr3tI@h/db")
`
	f := AnalyzeSource("jupyterhub_config.py", []byte(src))
	b, _ := json.Marshal(f)
	if bytes.Contains(b, []byte("s3cr3t")) {
		t.Fatalf("secret in JSON facts: %s", b)
	}
	if !bytes.Contains(b, []byte("visible")) || !bytes.Contains(b, []byte(`"value":"mysql+pymysql://hub:***@db/hub?charset=utf8"`)) {
		t.Fatalf("redaction too broad: %s", b)
	}
	if f.DBURLRaw != "postgresql://u:s3cr3tI@h/db" || f.DBURLEnv != "DB_URL" || f.DBURLEnvDefault != "postgresql://u:***@h/db" {
		t.Fatalf("DBURLRaw %q", f.DBURLRaw)
	}
	var kinds []string
	for _, s := range f.Secrets {
		kinds = append(kinds, s.Kind)
	}
	want := []string{"cookie_secret", "db_password", "client_secret", "secret", "api_token", "secret", "proxy_token", "cookie_secret", "db_password"}
	if !reflect.DeepEqual(kinds, want) {
		t.Fatalf("secret kinds %v, want %v", kinds, want)
	}
}

func TestDerivedFacts(t *testing.T) {
	src := `from oauthenticator.github import GitHubOAuthenticator as GH
from mypkg import MyProxy
import os
class MySpawner(LocalProcessSpawner, object):
    pass
c.JupyterHub.authenticator_class = GH
c.JupyterHub.spawner_class = "docker"
c.JupyterHub.spawner_class = MySpawner
c.Authenticator.allowed_users = {"b", "a"}
c.Authenticator.admin_users = {"root"}
c.JupyterHub.cleanup_servers = False
c.ConfigurableHTTPProxy.should_start = False
load_subconfig("extra.py")
load_subconfig(os.path.join("x", "y.py"))
c.JupyterHub.hub_ip = os.environ.get("HUB_IP", "0.0.0.0")
`
	f := AnalyzeSource("jupyterhub_config.py", []byte(src))
	if a := f.AuthenticatorClass; a == nil || a.Class != "GitHubOAuthenticator" || a.Package != "oauthenticator" || a.Line != 6 {
		t.Errorf("authenticator %+v", a)
	}
	if s := f.SpawnerClass; s == nil || s.Class != "MySpawner" || !s.Custom || s.Line != 8 {
		t.Errorf("spawner %+v", s)
	}
	if !reflect.DeepEqual(f.AllowedUsers, []string{"a", "b"}) || !reflect.DeepEqual(f.AdminUsers, []string{"root"}) {
		t.Errorf("users %v %v", f.AllowedUsers, f.AdminUsers)
	}
	if f.Proxy.ShouldStart || !f.Proxy.External || f.CleanupServers == nil || *f.CleanupServers {
		t.Errorf("proxy %+v cleanup %v", f.Proxy, f.CleanupServers)
	}
	if len(f.Subconfigs) != 2 || f.Subconfigs[0].Target != "extra.py" || !f.Subconfigs[0].Literal || f.Subconfigs[1].Literal {
		t.Errorf("subconfigs %+v", f.Subconfigs)
	}
	if len(f.Classes) != 1 || !reflect.DeepEqual(f.Classes[0].Bases, []string{"LocalProcessSpawner", "object"}) {
		t.Errorf("classes %+v", f.Classes)
	}
	if len(f.EnvRefs) != 1 || f.EnvRefs[0].Var != "HUB_IP" || f.EnvRefs[0].Default != "0.0.0.0" || f.EnvRefs[0].Trait != "JupyterHub.hub_ip" {
		t.Errorf("env %+v", f.EnvRefs)
	}
	if len(f.Imports) != 3 || f.Imports[0].As != "GH" || f.Imports[0].Name != "GitHubOAuthenticator" {
		t.Errorf("imports %+v", f.Imports)
	}
}

func TestValuesYAMLPositions(t *testing.T) {
	src := `hub:
  db:
    url: postgresql://hub:pw@db/hub
  config:
    JupyterHub:
      admin_access: true
  extraConfig:
    10-b: |
      import os
      c.KubeSpawner.image_pull_policy = "Always"
    00-a: "c.JupyterHub.port = 1"
proxy:
  secretToken: abc
`
	f := AnalyzeSource("values.yaml", []byte(src))
	got := map[string][3]int{}
	for _, a := range f.Assignments {
		if a.Op != "chart" || a.Via != "chart default" {
			got[a.Trait] = [3]int{a.Line, a.Column}
		}
	}
	want := map[string][3]int{
		"JupyterHub.db_url":                {3, 5},
		"JupyterHub.admin_access":          {6, 7},
		"KubeSpawner.image_pull_policy":    {10, 7},
		"JupyterHub.port":                  {11, 12},
		"ConfigurableHTTPProxy.auth_token": {13, 3},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("positions %v, want %v", got, want)
	}
	// extraConfig runs in sorted key order: 00-a before 10-b.
	var order []string
	for _, a := range f.Assignments {
		if a.Via == "" {
			order = append(order, a.Trait)
		}
	}
	if !reflect.DeepEqual(order, []string{"JupyterHub.port", "KubeSpawner.image_pull_policy"}) {
		t.Errorf("extraConfig order %v", order)
	}
	if f.DBURL != "postgresql://hub:***@db/hub" || f.DBURLRaw != "postgresql://hub:pw@db/hub" {
		t.Errorf("db_url %q raw %q", f.DBURL, f.DBURLRaw)
	}
	if !f.Proxy.External || f.SpawnerClass == nil || f.SpawnerClass.Class != "KubeSpawner" ||
		f.AuthenticatorClass == nil || f.AuthenticatorClass.Class != "DummyAuthenticator" {
		t.Errorf("chart defaults: proxy %+v spawner %+v authenticator %+v", f.Proxy, f.SpawnerClass, f.AuthenticatorClass)
	}
	gh := AnalyzeSource("values.yaml", []byte("hub:\n  config:\n    JupyterHub:\n      authenticator_class: github\n"))
	if gh.AuthenticatorClass == nil || gh.AuthenticatorClass.Class != "GitHubOAuthenticator" || gh.AuthenticatorClass.Line != 4 {
		t.Errorf("hub.config authenticator over the chart default: %+v", gh.AuthenticatorClass)
	}
	bad := AnalyzeSource("values.yaml", []byte("hub:\n  config: [\n"))
	if len(bad.ParseErrors) != 1 || !strings.Contains(bad.ParseErrors[0].Reason, "invalid YAML") {
		t.Errorf("bad yaml: %+v", bad.ParseErrors)
	}
}

// TestHandoffs: calls that hand the config object to other code, exec, and
// load_subconfig are recorded with their lines.
func TestHandoffs(t *testing.T) {
	src := "config = get_config()\n" +
		"import site_settings\n" +
		"site_settings.apply(site_settings.load(), config)\n" +
		"load_subconfig('extra.py')\n" +
		"result = pm.hook.customize(c=config)\n" +
		"exec(open('more.py').read())\n" +
		"print(config)\n" +
		"helper(other)\n" +
		"customize(config)\n" +
		"set_config_if_not_none(config.KubeSpawner, 'uid', 'singleuser.uid')\n" +
		"helper(config.Spawner.environment)\n"
	f := AnalyzeSource("jupyterhub_config.py", []byte(src))
	want := []Handoff{
		{File: "jupyterhub_config.py", Line: 3, Call: "site_settings.apply"},
		{File: "jupyterhub_config.py", Line: 5, Call: "pm.hook.customize"},
		{File: "jupyterhub_config.py", Line: 6, Call: "exec"},
		{File: "jupyterhub_config.py", Line: 9, Call: "customize"},
		{File: "jupyterhub_config.py", Line: 10, Call: "set_config_if_not_none"},
	}
	if !reflect.DeepEqual(f.Handoffs, want) {
		t.Errorf("handoffs %+v, want %+v", f.Handoffs, want)
	}
	if len(f.Subconfigs) != 1 || f.Subconfigs[0].Line != 4 || f.Subconfigs[0].Target != "extra.py" {
		t.Errorf("subconfigs %+v", f.Subconfigs)
	}
}

// TestPEP695: Python 3.12 type aliases and type parameters (which the
// machine's CPython 3.11 cannot check, so the expectations are written
// here) are analysed, and names that merely are "type" stay names.
func TestPEP695(t *testing.T) {
	src := "c = get_config()\n" +
		"type Port = int\n" +
		"type Pair[T] = tuple[T, T]\n" +
		"def pick[T](x: T) -> T:\n" +
		"    c.Spawner.default_url = '/lab'\n" +
		"    return x\n" +
		"class Cfg[T]:\n" +
		"    c.JupyterHub.port = 8000\n" +
		"type = 'x'\n" +
		"print(type(c))\n" +
		"c.JupyterHub.ip = type\n"
	f := AnalyzeSource("jupyterhub_config.py", []byte(src))
	if len(f.ParseErrors) != 0 {
		t.Fatalf("parse errors: %+v", f.ParseErrors)
	}
	var got []string
	for _, a := range f.Assignments {
		got = append(got, fmt.Sprintf("%d:%d %s", a.Line, a.Column, a.Trait))
	}
	want := []string{"5:5 Spawner.default_url", "8:5 JupyterHub.port", "11:1 JupyterHub.ip"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("assignments %v, want %v", got, want)
	}
	if f.Rewrites["type alias"] != 2 || f.Rewrites["type parameters"] != 2 {
		t.Errorf("rewrites %v", f.Rewrites)
	}
}

// TestValuesChartKeys: chart-level keys map to the traits the chart's own
// jupyterhub_config.py sets from them (knowledge base, z2jh_chart.tsv).
func TestValuesChartKeys(t *testing.T) {
	src := "hub:\n  consecutiveFailureLimit: 3\nsingleuser:\n  cmd: jupyter-labhub\n  defaultUrl: /lab\n  extraEnv:\n    A: b\n  memory:\n    limit: 2G\n  networkPolicy:\n    enabled: true\n"
	f := AnalyzeSource("values.yaml", []byte(src))
	got := map[string]string{}
	for _, a := range f.Assignments {
		if a.Op == "chart" && a.Via != "chart default" {
			got[a.Via] = a.Trait
		}
	}
	want := map[string]string{
		"hub.consecutiveFailureLimit": "Spawner.consecutive_failure_limit",
		"singleuser.cmd":              "Spawner.cmd",
		"singleuser.defaultUrl":       "Spawner.default_url",
		"singleuser.extraEnv":         "KubeSpawner.environment",
		"singleuser.memory.limit":     "KubeSpawner.mem_limit",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("chart keys %v, want %v", got, want)
	}
}
