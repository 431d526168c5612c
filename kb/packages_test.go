package kb

import (
	"encoding/json"
	"testing"

	"github.com/hubaudit/hubaudit/kb/kbdata"
)

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
		var p kbdata.Packages
		if err := json.Unmarshal([]byte(bad), &p); err != nil {
			t.Fatal(err)
		}
		if err := checkPackages(&p); err == nil {
			t.Errorf("accepted %s", bad)
		}
	}
	if err := CheckPackages(); err != nil {
		t.Fatal(err)
	}
}

// TestSingleuserImageVersion checks which image references pin a
// jupyterhub version, per singleuser_images.tsv.
func TestSingleuserImageVersion(t *testing.T) {
	for ref, want := range map[string]string{
		"jupyterhub/singleuser:0.9":                     "0.9",
		"jupyterhub/singleuser:1.2.2":                   "1.2.2",
		"docker.io/jupyterhub/singleuser:4.1.6":         "4.1.6",
		"quay.io/jupyterhub/singleuser:5.2.1":           "5.2.1",
		"quay.io/jupyterhub/singleuser:5.5":             "5.5",
		" quay.io/jupyterhub/singleuser:4.0 ":           "4.0",
		"quay.io/jupyterhub/singleuser:latest":          "",
		"quay.io/jupyterhub/singleuser:main":            "",
		"quay.io/jupyterhub/singleuser":                 "",
		"quay.io/jupyterhub/singleuser@sha256:0123abcd": "",
		"jupyter/scipy-notebook:2023-10-20":             "",
		"quay.io/jupyter/base-notebook:4.1.6":           "",
		"myregistry:5000/jupyterhub/singleuser":         "",
		"jupyterhub/singleuser:v4.1.6":                  "",
	} {
		_, v, ok := SingleuserImageVersion(ref)
		got := ""
		if ok {
			got = v.String()
		}
		if got != want {
			t.Errorf("SingleuserImageVersion(%q) = %q, want %q", ref, got, want)
		}
	}
}
