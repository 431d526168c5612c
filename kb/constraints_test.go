package kb

import (
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

// TestTraitConstraints pins trait_constraints.tsv as read in
// jupyterhub/authenticators/shared.py at 5.3.0 and every later tag to
// 6.0.0b2: _USER_PASSWORD_MIN_LENGTH = 8, _ADMIN_PASSWORD_MIN_LENGTH = 32,
// and the validators refuse the same value for both. 5.2.1 has no such
// class, so no constraint.
func TestTraitConstraints(t *testing.T) {
	k := MustLoad()
	for _, c := range []struct {
		trait, v string
		n        int
		ok       bool
	}{
		{"admin_password", "5.3.0", 32, true},
		{"admin_password", "6.0.0b2", 32, true},
		{"user_password", "5.5.1", 8, true},
		{"admin_password", "5.2.1", 0, false},
	} {
		n, ok := k.MinLength("jupyterhub", "SharedPasswordAuthenticator", c.trait, pep440.MustParse(c.v))
		if n != c.n || ok != c.ok {
			t.Errorf("%s at %s: %d %v, want %d %v", c.trait, c.v, n, ok, c.n, c.ok)
		}
	}
	cs := k.TraitConstraints("jupyterhub", "SharedPasswordAuthenticator", "admin_password", pep440.MustParse("5.5.1"))
	if len(cs) != 2 || cs[1] != (Constraint{Kind: "differs_from", Value: "user_password"}) {
		t.Errorf("admin_password constraints: %+v", cs)
	}
	if got := k.TraitConstraintsOf("jupyterhub", "SharedPasswordAuthenticator", pep440.MustParse("5.5.1")); len(got) != 2 || got[0] != "admin_password" || got[1] != "user_password" {
		t.Errorf("constrained traits: %v", got)
	}
	if ep, ok := EntryPointOf("jupyterhub.authenticators", "SharedPasswordAuthenticator"); !ok || ep.Name != "shared-password" || ep.FirstRelease != "5.3.0" {
		t.Errorf("entry point: %+v %v", ep, ok)
	}
}
