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
