package config

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
)

// TestTLJHReleases reads one config.yaml as the configurer of each TLJH
// release does (tljh/configurer.py at 0.2.0, 1.0.0 and 2.0.0): the
// traefik API class, the https entrypoint, FirstUseAuthenticator.allow_all
// for an empty users.allowed (from 2.0.0), and the default app's URL
// (classic by default in 0.2.0, which had no URL for it; /lab from 1.0.0).
func TestTLJHReleases(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "config.yaml")
	if err := os.WriteFile(p, []byte("users:\n  admin: [maria]\nhttps:\n  enabled: true\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		release string
		want    map[string]string // trait -> value ("" for unset)
	}{
		{"0.2.0", map[string]string{"TraefikTomlProxy.traefik_api_username": "api_admin", "TraefikProxy.traefik_api_username": "",
			"TraefikProxy.traefik_entrypoint": "", "FirstUseAuthenticator.allow_all": "", "Spawner.default_url": ""}},
		{"1.0.0", map[string]string{"TraefikTomlProxy.traefik_api_username": "", "TraefikProxy.traefik_api_username": "api_admin",
			"TraefikProxy.traefik_entrypoint": "https", "FirstUseAuthenticator.allow_all": "", "Spawner.default_url": "/lab"}},
		{"2.0.0", map[string]string{"TraefikProxy.traefik_api_username": "api_admin", "TraefikProxy.traefik_entrypoint": "https",
			"FirstUseAuthenticator.allow_all": "true", "Spawner.default_url": "/lab"}},
		{"", map[string]string{"FirstUseAuthenticator.allow_all": "true"}}, // the newest
	} {
		f, err := Collect(Options{Files: []string{p}, TLJHRelease: c.release, TLJHReleaseFrom: "test"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range f.Assignments {
			got[a.Trait] = fmt.Sprint(a.Value)
		}
		for trait, want := range c.want {
			if got[trait] != want {
				t.Errorf("TLJH %q: %s = %q, want %q", c.release, trait, got[trait], want)
			}
		}
		if wantTag := map[string]string{"": "2.0.0"}[c.release]; wantTag != "" && f.TLJHRelease != wantTag {
			t.Errorf("release %q read as %q", c.release, f.TLJHRelease)
		}
	}
}

// TestTLJHKeys lists the key paths config.yaml sets, with positions.
func TestTLJHKeys(t *testing.T) {
	p := filepath.Join(t.TempDir(), "config.yaml")
	os.WriteFile(p, []byte("users:\n  allow: [a]\nservices:\n  cull:\n    timeout: 10\n"), 0o644)
	f, err := Collect(Options{Files: []string{p}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range f.TLJHKeys {
		got = append(got, fmt.Sprintf("%s@%d:%d", k.Key, k.Line, k.Column))
	}
	if fmt.Sprint(got) != "[users@1:1 users.allow@2:3 services@3:1 services.cull@4:3 services.cull.timeout@5:5]" {
		t.Errorf("keys %v", got)
	}
}
