package kb

import (
	"reflect"
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

func TestSingleuserFacts(t *testing.T) {
	k := MustLoad()
	v := pep440.MustParse
	for _, c := range []struct {
		hub, user string
		cmp       string
		warned    bool
	}{
		{"4.1.6", "4.1.5", "major.minor", false},
		{"4.1.6", "4.0.2", "major.minor", true},
		{"5.5.1", "5.0.0", "major", false},
		{"5.5.1", "4.1.6", "major", true},
		{"6.0.0b2", "6.0.0b1", "major", false},
		{"7.0.0", "6.0.0", "major", true},
	} {
		cmp, ok := k.MismatchCompare(v(c.hub))
		if !ok || cmp != c.cmp {
			t.Errorf("MismatchCompare(%s) = %q, %v; want %q", c.hub, cmp, ok, c.cmp)
		}
		if got := k.MismatchWarned(v(c.hub), v(c.user)); got != c.warned {
			t.Errorf("MismatchWarned(%s, %s) = %v, want %v", c.hub, c.user, got, c.warned)
		}
	}
	if _, ok := k.MismatchCompare(v("0.8.1")); ok {
		t.Error("MismatchCompare(0.8.1): want no fact before 0.9.0")
	}
	if got := k.SingleuserBreaking(); len(got) != 2 || got[0].String() != "0.7.0" || got[1].String() != "2.0.0" {
		t.Errorf("SingleuserBreaking() = %v", got)
	}
	if b, ok := k.BreakingBetween(v("2.3.1"), v("1.5.1")); !ok || b.String() != "2.0.0" {
		t.Errorf("BreakingBetween(2.3.1, 1.5.1) = %v, %v", b, ok)
	}
	if _, ok := k.BreakingBetween(v("4.1.6"), v("5.5.1")); ok {
		t.Error("BreakingBetween(4.1.6, 5.5.1): want none")
	}
	alts, _, ok := k.SingleuserServer(v("5.5.1"))
	if !ok || !reflect.DeepEqual(alts, []string{"jupyter-server", "notebook<7"}) {
		t.Errorf("SingleuserServer(5.5.1) = %v", alts)
	}
	alts, _, _ = k.SingleuserServer(v("1.5.1"))
	if !reflect.DeepEqual(alts, []string{"notebook<7"}) {
		t.Errorf("SingleuserServer(1.5.1) = %v", alts)
	}
}

func TestUndeclaredRequirements(t *testing.T) {
	k := MustLoad()
	for v, want := range map[string]int{"0.9.0": 1, "1.5.1": 1, "3.1.0": 1, "3.1.1": 0, "4.1.6": 0, "5.5.1": 0} {
		got := k.UndeclaredRequirements(pep440.MustParse(v))
		if len(got) != want {
			t.Errorf("UndeclaredRequirements(%s) = %v, want %d rows", v, got, want)
		}
		for _, u := range got {
			if u.Package != "sqlalchemy" || u.Specifier != "<2" {
				t.Errorf("UndeclaredRequirements(%s) = %+v", v, u)
			}
			if _, err := pep440.ParseSpecifier(u.Specifier); err != nil {
				t.Error(err)
			}
		}
	}
}
