package kb

import (
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

func TestDeprecationAccessor(t *testing.T) {
	k := MustLoad()
	v := pep440.MustParse
	cases := []struct {
		class, name, at string
		want            Deprecation
		ok              bool
	}{
		{"Authenticator", "whitelist", "1.2.2", Deprecation{Option: "Authenticator.whitelist", Since: "1.2", Replacement: "Authenticator.allowed_users"}, true},
		{"Authenticator", "whitelist", "1.1.0", Deprecation{Option: "Authenticator.whitelist"}, false},
		{"Authenticator", "blacklist", "5.5.1", Deprecation{Option: "Authenticator.blacklist", Since: "1.2", Replacement: "Authenticator.blocked_users", Ignored: true}, true},
		{"JupyterHub", "admin_access", "5.5.1", Deprecation{Option: "JupyterHub.admin_access", Since: "2.0.0", Replacement: "RBAC roles (JupyterHub.load_roles)"}, true},
		{"LocalProcessSpawner", "cmd", "5.5.1", Deprecation{Option: "LocalProcessSpawner.cmd"}, false},
	}
	for _, c := range cases {
		got, ok, err := k.Deprecation(c.class, c.name, v(c.at))
		if err != nil || ok != c.ok || got != c.want {
			t.Errorf("Deprecation(%s.%s @%s) = %+v, %v, %v; want %+v, %v", c.class, c.name, c.at, got, ok, err, c.want, c.ok)
		}
	}
	if l, _ := k.Trait("Spawner", "notebook_dir", v("5.5.1")); !l.Found {
		t.Error("Spawner.notebook_dir not found")
	}
}

// TestDefaultRef: the default spawner and authenticator classes come from
// the trait table's default_ref column (jupyterhub/app.py: spawner_class
// defaults to LocalProcessSpawner, authenticator_class to
// PAMAuthenticator, in every analysed release); a literal default is no
// reference.
func TestDefaultRef(t *testing.T) {
	k := MustLoad()
	for _, at := range []string{"0.9.6", "3.0.0", "5.5.1", "6.0.0b2"} {
		if got, ok := k.DefaultRef("JupyterHub", "spawner_class", pep440.MustParse(at)); !ok || got != "LocalProcessSpawner" {
			t.Errorf("spawner_class default @%s = %q, %v", at, got, ok)
		}
		if got, ok := k.DefaultRef("JupyterHub", "authenticator_class", pep440.MustParse(at)); !ok || got != "PAMAuthenticator" {
			t.Errorf("authenticator_class default @%s = %q, %v", at, got, ok)
		}
	}
	if got, ok := k.DefaultRef("JupyterHub", "hub_port", pep440.MustParse("5.5.1")); ok {
		t.Errorf("hub_port has a literal default, got ref %q", got)
	}
	if got, ok := k.DefaultRef("NoSuchClass", "spawner_class", pep440.MustParse("5.5.1")); ok {
		t.Errorf("unknown class: %q", got)
	}
}
