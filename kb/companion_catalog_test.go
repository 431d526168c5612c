package kb

import (
	"testing"

	"github.com/hubaudit/hubaudit/pep440"
)

// companionAt pins one companion release (and JupyterHub 5.5.1, whose
// Spawner and Proxy classes the companions' classes are built on).
func companionAt(pkg, v string) Versions {
	return Versions{JupyterHub: pep440.MustParse("5.5.1"), Companions: map[string]pep440.Version{pkg: pep440.MustParse(v)}}
}

// Each case was read with git show at the named tags of
// github.com/jupyterhub/<repo>.
func TestCompanionCatalogByRelease(t *testing.T) {
	k := MustLoad()
	cases := []struct {
		source             string
		pkg, release       string
		class, name        string
		classKnown, accept bool
		definedOn, catalog string
	}{
		// traefik-proxy 0.3.0 jupyterhub_traefik_proxy/: no fileprovider.py,
		// proxy.py has no traefik_entrypoint; 1.0.0 fileprovider.py defines
		// TraefikFileProviderProxy(TraefikProxy) with dynamic_config_file,
		// proxy.py adds traefik_entrypoint; traefik_api_url is TraefikProxy's.
		{"traefik-proxy 0.3.0", "traefik-proxy", "0.3.0", "TraefikFileProviderProxy", "dynamic_config_file", false, false, "", ""},
		{"traefik-proxy 0.3.0", "traefik-proxy", "0.3.0", "TraefikProxy", "traefik_entrypoint", true, false, "", "0.3.0"},
		{"traefik-proxy 0.3.0", "traefik-proxy", "0.3.0", "TraefikTomlProxy", "toml_dynamic_config_file", true, true, "TraefikTomlProxy", "0.3.0"},
		{"traefik-proxy 1.0.0", "traefik-proxy", "1.0.0", "TraefikFileProviderProxy", "dynamic_config_file", true, true, "TraefikFileProviderProxy", "1.0.0"},
		{"traefik-proxy 1.0.0", "traefik-proxy", "1.0.0", "TraefikProxy", "traefik_entrypoint", true, true, "TraefikProxy", "1.0.0"},
		{"traefik-proxy 1.0.0", "traefik-proxy", "1.0.0", "TraefikFileProviderProxy", "traefik_api_url", true, true, "TraefikProxy", "1.0.0"},
		// Proxy.should_start is jupyterhub's, reached through TraefikProxy.
		{"traefik-proxy 2.1.0", "traefik-proxy", "2.1.0", "TraefikProxy", "should_start", true, true, "Proxy", "2.1.0"},
		// oauthenticator 16.2.1 generic.py declares username_claim on
		// GenericOAuthenticator; 16.3.0 does not (OAuthenticator's is used):
		// a release inside a major line has its own catalog.
		{"oauthenticator 16.2.1", "oauthenticator", "16.2.1", "GenericOAuthenticator", "username_claim", true, true, "GenericOAuthenticator", "16.2.1"},
		{"oauthenticator 16.3.0", "oauthenticator", "16.3.0", "GenericOAuthenticator", "username_claim", true, true, "OAuthenticator", "16.3.0"},
		// systemdspawner v0.9.9 systemdspawner.py declares mem_limit itself;
		// from v0.10 it is jupyterhub's Spawner.mem_limit.
		{"systemdspawner v0.9.9", "systemdspawner", "0.9.9", "SystemdSpawner", "mem_limit", true, true, "SystemdSpawner", "0.9.9"},
		{"systemdspawner v0.10", "systemdspawner", "0.10", "SystemdSpawner", "mem_limit", true, true, "Spawner", "0.10"},
		// kubespawner 3.0.1 changed no trait of 3.0.0: it is judged by the
		// 3.0.0 catalog (the newest catalogued release not after it).
		{"kubespawner 3.0.0, 3.0.1", "kubespawner", "3.0.1", "KubeSpawner", "image", true, true, "KubeSpawner", "3.0.0"},
	}
	for _, c := range cases {
		l, err := k.LookupTrait(c.class, c.name, companionAt(c.pkg, c.release))
		if err != nil {
			t.Fatal(err)
		}
		if l.ClassKnown != c.classKnown || l.Accepted() != c.accept || l.DefinedOn != c.definedOn || c.classKnown && c.definedOn != "Proxy" && c.definedOn != "Spawner" && l.CatalogRelease != c.catalog {
			t.Errorf("%s: %s.%s at %s %s: known %v accepted %v on %q catalog %s; want %v %v %q %s",
				c.source, c.class, c.name, c.pkg, c.release, l.ClassKnown, l.Accepted(), l.DefinedOn, l.CatalogRelease, c.classKnown, c.accept, c.definedOn, c.catalog)
		}
	}
}

// TestCompanionCatalogsCoverEveryRelease checks the shape of the catalog:
// every catalogued companion release is a release of companions/releases.tsv,
// and the newest patch of every minor line of every catalogued package is
// catalogued.
func TestCompanionCatalogsCoverEveryRelease(t *testing.T) {
	k := MustLoad()
	dists := map[string]string{"oauthenticator": "oauthenticator", "kubespawner": "jupyterhub-kubespawner", "dockerspawner": "dockerspawner",
		"ldapauthenticator": "jupyterhub-ldapauthenticator", "nativeauthenticator": "jupyterhub-nativeauthenticator", "batchspawner": "batchspawner",
		"systemdspawner": "jupyterhub-systemdspawner", "traefik-proxy": "jupyterhub-traefik-proxy"}
	for pkg, dist := range dists {
		catalogued := map[string]bool{}
		for _, c := range k.CompanionRequirements(pkg) {
			catalogued[c.Release] = true
		}
		known := map[string]bool{}
		newest := map[[2]int]string{}
		for _, r := range k.CompanionReleases(dist) {
			known[r.Release] = true
			v := pep440.MustParse(r.Release)
			if r.Prerelease {
				continue
			}
			rel := append(append([]int{}, v.Release...), 0, 0)
			newest[[2]int{rel[0], rel[1]}] = r.Release // releases are oldest first
		}
		for rel := range catalogued {
			if !known[rel] {
				t.Errorf("%s %s is catalogued but not in companions/releases.tsv", pkg, rel)
			}
		}
		for line, rel := range newest {
			if !catalogued[rel] {
				t.Errorf("%s: %s, the newest of %d.%d, has no catalog", pkg, rel, line[0], line[1])
			}
		}
		if len(newest) == 0 {
			t.Errorf("%s: no releases", pkg)
		}
	}
	if _, ok, _ := k.KnownClass("TraefikFileProviderProxy"); !ok {
		t.Error("TraefikFileProviderProxy has no catalog")
	}
}
