package kb

import (
	"reflect"
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

// TestEntryPoints checks entry points by hand against the packages'
// own metadata, and that an incomplete or duplicated table is refused.
func TestEntryPoints(t *testing.T) {
	for _, c := range []struct{ group, name, class, pkg string }{
		{"jupyterhub.authenticators", "github", "GitHubOAuthenticator", "oauthenticator"},
		{"jupyterhub.authenticators", "generic-oauth", "GenericOAuthenticator", "oauthenticator"},
		{"jupyterhub.authenticators", "Dummy", "DummyAuthenticator", "jupyterhub"},
		{"jupyterhub.authenticators", "native", "NativeAuthenticator", "jupyterhub-nativeauthenticator"},
		{"jupyterhub.spawners", "docker-swarm", "SwarmSpawner", "dockerspawner"},
		{"jupyterhub.proxies", "traefik_file", "TraefikFileProviderProxy", "jupyterhub-traefik-proxy"},
	} {
		e, ok := EntryPoint(c.group, c.name)
		if !ok || e.Class != c.class || e.Package != c.pkg {
			t.Errorf("%s %s: %+v %v", c.group, c.name, e, ok)
		}
	}
	// Names no package registers: KubeSpawner and BatchSpawner have no
	// entry points, "generic" was never one of oauthenticator's.
	for _, n := range []string{"kubespawner", "kubernetes", "slurm"} {
		if e, ok := EntryPoint("jupyterhub.spawners", n); ok {
			t.Errorf("spawner entry point %q should not exist: %+v", n, e)
		}
	}
	if e, ok := EntryPoint("jupyterhub.authenticators", "generic"); ok {
		t.Errorf("generic: %+v", e)
	}
	if d, ok := DistributionOfModule("kubespawner"); !ok || d != "jupyterhub-kubespawner" {
		t.Errorf("kubespawner module: %q %v", d, ok)
	}
	for _, bad := range []string{
		`{"entry_points":[{"group":"jupyterhub.spawners","name":"x","class":"X","module":"m"}]}`,
		`{"entry_points":[{"group":"nope","name":"x","class":"X","module":"m","package":"p"}]}`,
		`{"entry_points":[{"group":"jupyterhub.spawners","name":"x","class":"X","module":"m","package":"p"},{"group":"jupyterhub.spawners","name":"x","class":"Y","module":"n","package":"q"}]}`,
		`{"entry_points":[{"group":"jupyterhub.spawners","name":"x","class":"X","module":"m","package":"p","first_release":"one"}]}`,
	} {
		if _, err := parsePackages([]byte(bad)); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if err := CheckPackages(); err != nil {
		t.Fatal(err)
	}
}

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
