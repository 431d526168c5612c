package kb

import (
	"reflect"
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

// TestDBDrivers: a plain postgresql:// URL loads psycopg2 up to SQLAlchemy
// 2.0 and psycopg 3 from 2.1 (SQLAlchemy's own dialect defaults).
func TestDBDrivers(t *testing.T) {
	k := MustLoad()
	mods := func(scheme, sa string) []string {
		var v pep440.Version
		if sa != "" {
			v = pep440.MustParse(sa)
		}
		var out []string
		for _, d := range k.DBDrivers(scheme, v) {
			out = append(out, d.Module)
		}
		return out
	}
	for _, c := range []struct {
		scheme, sa string
		want       []string
	}{
		{"postgresql", "1.4.54", []string{"psycopg2"}},
		{"postgresql", "2.0.36", []string{"psycopg2"}},
		{"postgresql", "2.1.0", []string{"psycopg"}},
		{"postgresql", "", []string{"psycopg2", "psycopg"}},
		{"POSTGRESQL+PSYCOPG2", "2.1.0", []string{"psycopg2"}},
		{"postgresql+psycopg", "1.4.54", nil},
		{"mysql", "2.0.36", []string{"MySQLdb"}},
		{"mysql+pymysql", "", []string{"pymysql"}},
		{"sqlite", "", nil},
	} {
		if got := mods(c.scheme, c.sa); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s with SQLAlchemy %q: %v, want %v", c.scheme, c.sa, got, c.want)
		}
	}
}
