package env

import (
	"reflect"
	"testing"
)

func TestParseRequirement(t *testing.T) {
	for in, want := range map[string]Requirement{
		"jupyterhub>=4.0":      {Name: "jupyterhub", Specifier: ">=4.0"},
		"SQLAlchemy (>=1.4.1)": {Name: "sqlalchemy", Specifier: ">=1.4.1"},
		"ruamel.yaml":          {Name: "ruamel-yaml"},
		`psycopg[binary,pool]>=3.1; python_version >= "3.8"`:            {Name: "psycopg", Specifier: ">=3.1", Extras: []string{"binary", "pool"}, Marker: `python_version >= "3.8"`},
		"pkg @ https://example.org/pkg-1.0.tar.gz ; os_name == 'posix'": {Name: "pkg", Marker: "os_name == 'posix'"},
		"tornado>=5.1,<7": {Name: "tornado", Specifier: ">=5.1,<7"},
	} {
		got, err := ParseRequirement(in)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("ParseRequirement(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, bad := range []string{"", ">=1.0", "x>>=1", `x; python_version <`, `x; unknown_var == "1"`, `x; python_version == "3.8`} {
		if r, err := ParseRequirement(bad); err == nil {
			t.Errorf("ParseRequirement(%q) = %+v, want an error", bad, r)
		}
	}
}

func TestMarkers(t *testing.T) {
	py311 := MarkerEnv{Python: "3.11.7"}
	for _, c := range []struct {
		marker string
		env    MarkerEnv
		want   Tri
	}{
		{`python_version < "3.10"`, py311, False},
		{`python_version >= '3.8'`, py311, True},
		{`python_full_version >= "3.11.8"`, py311, False},
		{`python_version < "3.10"`, MarkerEnv{}, Unknown},
		{`python_version < "3.10" and sys_platform == "win32"`, MarkerEnv{}, False},
		{`python_version < "3.10" or sys_platform != "win32"`, MarkerEnv{}, True},
		{`sys_platform != 'win32'`, py311, True},
		{`platform_system == "Windows" or (os_name == "posix" and implementation_name == "cpython")`, py311, True},
		{`extra == "test"`, py311, False},
		{`extra == "test"`, MarkerEnv{Extras: []string{"Test"}}, True},
		{`platform_machine == "x86_64"`, py311, Unknown},
		{`"linux" in sys_platform`, py311, True},
		{`"arm" not in sys_platform`, py311, True},
	} {
		r := Requirement{Name: "x", Marker: c.marker}
		if got := r.Applies(c.env); got != c.want {
			t.Errorf("%s with %+v: got %v, want %v", c.marker, c.env, got, c.want)
		}
	}
}
