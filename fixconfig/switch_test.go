package fixconfig_test

import (
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/fixconfig"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// TestClassSwitch: DummyAuthenticator.password's successor is an option of
// SharedPasswordAuthenticator (jupyterhub 5.3.0 authenticators/shared.py,
// entry point "shared-password" in pyproject.toml): the advice selects the
// class, moves the value with user_password's 8-character minimum, gives
// the admins admin_password (32 characters minimum, not the user
// password: _ADMIN_PASSWORD_MIN_LENGTH and the validators, 5.3.0 to
// 6.0.0b2) and keeps an allow config, which DummyAuthenticator had by its
// own default. A rename on the same class, or to a class the config
// already selects, or to a non-pluggable class, is no switch.
func TestClassSwitch(t *testing.T) {
	k := kb.MustLoad()
	v551 := pep440.MustParse("5.5.1")
	at := kb.Versions{JupyterHub: v551}
	sw, ok := fixconfig.ClassSwitch(k, at, "DummyAuthenticator", "password", "SharedPasswordAuthenticator.user_password", "DummyAuthenticator")
	if !ok || !sw.Available || sw.EntryPoint.Name != "shared-password" || sw.Option != "JupyterHub.authenticator_class" {
		t.Fatalf("switch: %+v %v", sw, ok)
	}
	got := sw.Advice(k, fixconfig.AdviceOptions{Target: v551, Admins: []string{"root"}})
	want := `select the new class: c.JupyterHub.authenticator_class = "shared-password" (SharedPasswordAuthenticator, jupyterhub 5.3.0 and later), ` +
		`and move the value of c.DummyAuthenticator.password to c.SharedPasswordAuthenticator.user_password (at least 8 characters); ` +
		`set c.SharedPasswordAuthenticator.admin_password (at least 32 characters, not the same as user_password) for the admin users (root), who log in only with it: without it they are locked out; ` +
		`and say who may log in: unlike DummyAuthenticator, SharedPasswordAuthenticator has no allow_all default, so add c.Authenticator.allowed_users = {...}, ` +
		`or c.Authenticator.allow_all = True, which admits anyone who knows user_password under any user name`
	if got != want {
		t.Errorf("advice:\n got %s\nwant %s", got, want)
	}
	// An allow config already there: nothing to add about it.
	if got := sw.Advice(k, fixconfig.AdviceOptions{Target: v551, HasAllowConfig: true}); strings.Contains(got, "allow_all") || !strings.Contains(got, "for the admin users, who") {
		t.Errorf("with an allow config: %s", got)
	}

	// A target before 5.3.0 has no SharedPasswordAuthenticator.
	v521 := pep440.MustParse("5.2.1")
	sw, ok = fixconfig.ClassSwitch(k, kb.Versions{JupyterHub: v521}, "DummyAuthenticator", "password", "SharedPasswordAuthenticator.user_password")
	if !ok || sw.Available {
		t.Fatalf("5.2.1: %+v %v", sw, ok)
	}
	if got, want := sw.Advice(k, fixconfig.AdviceOptions{Target: v521}), `SharedPasswordAuthenticator first appears in jupyterhub 5.3.0; jupyterhub 5.2.1 has none: keep c.DummyAuthenticator.password until the upgrade to 5.3.0 or later, then select SharedPasswordAuthenticator with c.JupyterHub.authenticator_class = "shared-password"`; got != want {
		t.Errorf("5.2.1:\n got %s\nwant %s", got, want)
	}

	for _, c := range []struct{ class, name, repl, selected string }{
		{"Authenticator", "whitelist", "Authenticator.allowed_users", ""},
		{"JupyterHub", "proxy_cmd", "ConfigurableHTTPProxy.command", ""},
		{"DummyAuthenticator", "password", "SharedPasswordAuthenticator.user_password", "SharedPasswordAuthenticator"},
		{"DockerSpawner", "container_image", "DockerSpawner.image", "DockerSpawner"},
	} {
		if sw, ok := fixconfig.ClassSwitch(k, at, c.class, c.name, c.repl, c.selected); ok {
			t.Errorf("%s.%s -> %s is no switch: %+v", c.class, c.name, c.repl, sw)
		}
	}
}
