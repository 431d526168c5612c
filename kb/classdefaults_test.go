package kb

import (
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

// TestSubclassDefault: DummyAuthenticator keeps admitting everyone from
// 5.0.0 (its own @default("allow_all")); neither SharedPasswordAuthenticator
// nor NativeAuthenticator has such a default.
func TestSubclassDefault(t *testing.T) {
	k := MustLoad()
	for _, c := range []struct {
		pkg, class, v string
		want          bool
	}{
		{"jupyterhub", "DummyAuthenticator", "5.5.1", true},
		{"jupyterhub", "DummyAuthenticator", "5.0.0", true},
		{"jupyterhub", "DummyAuthenticator", "4.1.6", false},
		{"jupyterhub", "SharedPasswordAuthenticator", "5.5.1", false},
		{"jupyterhub-nativeauthenticator", "NativeAuthenticator", "1.3.0", false},
		{"jupyterhub", "PAMAuthenticator", "5.5.1", false},
	} {
		if _, got := k.SubclassDefault(c.pkg, c.class, "allow_all", pep440.MustParse(c.v)); got != c.want {
			t.Errorf("%s %s at %s: %v, want %v", c.pkg, c.class, c.v, got, c.want)
		}
	}
}
