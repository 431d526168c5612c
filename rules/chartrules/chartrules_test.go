package chartrules

import (
	"testing"

	"github.com/hubaudit/hubaudit/kb"
)

func TestHelpers(t *testing.T) {
	for tmpl, want := range map[string][2]bool{
		"{username}": {true, false}, "claim-{user_server}": {true, true}, "{servername}": {true, true},
		"{escaped_username}": {false, false}, "/home/{unescaped_username}": {false, false}, "{bad": {false, false},
	} {
		n, s := usesNames(tmpl)
		if [2]bool{n, s} != want {
			t.Errorf("%q: %v %v", tmpl, n, s)
		}
	}
	f := tmplField{label: "singleuser.storage.static.subPath", before: "home/{username}", values: true}
	if got := slugFix(f); got != `set hub.config.KubeSpawner.slug_scheme: escape (KubeSpawner 6's names everywhere), or write "home/{escaped_username}" in singleuser.storage.static.subPath` {
		t.Errorf("fix: %s", got)
	}
	if c := lastBefore(kb.SafeSlugSince()); c == nil || c.Version != "3.3.8" {
		t.Errorf("lastBefore: %v", c)
	}
	v, ok := lookup(map[string]any{"a": map[string]any{"b": "x", "n": nil}}, "a.b")
	if !ok || v != "x" {
		t.Errorf("lookup: %v %v", v, ok)
	}
	if _, ok := lookup(map[string]any{"a": map[string]any{"n": nil}}, "a.n"); ok {
		t.Error("a null value is unset")
	}
}
