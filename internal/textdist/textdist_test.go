package textdist

import (
	"reflect"
	"testing"
)

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "abc", 0}, {"abc", "", 3}, {"notebok_dir", "notebook_dir", 1},
		{"allowed_organisations", "allowed_organizations", 1}, {"ab", "ba", 1}, {"café", "cafe", 1},
	} {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestClosest(t *testing.T) {
	names := []string{"generic-oauth", "github", "gitlab", "google", "globus"}
	if got := Closest("generic", names); !reflect.DeepEqual(got, []string{"generic-oauth"}) {
		t.Errorf("generic: %v", got)
	}
	if got := Closest("gitlub", names); !reflect.DeepEqual(got, []string{"github", "gitlab"}) {
		t.Errorf("gitlub: %v", got)
	}
	if got := Closest("GitHub", names); !reflect.DeepEqual(got, []string{"github", "gitlab"}) {
		t.Errorf("GitHub: %v", got)
	}
	if got := Closest("xy", names); got != nil {
		t.Errorf("xy: %v", got)
	}
}
