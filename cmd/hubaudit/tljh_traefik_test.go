package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// TestTLJHTraefikOptionsByRelease audits the TLJH tree (TLJH 1.0.0's own
// jupyterhub_config.py sets c.TraefikProxy.should_start and
// c.TraefikFileProviderProxy.dynamic_config_file; the configurer sets
// c.TraefikProxy.traefik_api_username/password and traefik_entrypoint) with
// the jupyterhub-traefik-proxy release of the hub environment: 1.1.0 (what
// TLJH 1.0.0 installs, ==1.*) has every one of them, so nothing is reported;
// 0.3.0 (TLJH 0.2.0's) has neither the file provider class nor
// traefik_entrypoint, both from 1.0.0 (the configurer's setting is located
// at config.yaml line 1).
func TestTLJHTraefikOptionsByRelease(t *testing.T) {
	dir := tljhTree(t, "users:\n  admin:\n    - maria\n")
	_, fs := tljhFindings(t, dir, "pre", "--target", "4.1.6")
	for _, id := range []string{"HUB101", "HUB103", "HUB105"} {
		if len(fs[id]) > 0 {
			t.Errorf("traefik-proxy 1.1.0: %s: %v", id, fs[id])
		}
	}
	freeze := filepath.Join(dir, "hub-freeze.txt")
	b, err := os.ReadFile(freeze)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "jupyterhub-traefik-proxy==1.1.0\n") {
		t.Fatalf("the fixture's hub environment no longer has traefik-proxy 1.1.0:\n%s", b)
	}
	os.WriteFile(freeze, []byte(strings.Replace(string(b), "jupyterhub-traefik-proxy==1.1.0\n", "jupyterhub-traefik-proxy==0.3.0\n", 1)), 0o644)
	_, fs = tljhFindings(t, dir, "pre", "--target", "4.1.6")
	want := []string{
		"1: c.TraefikProxy.traefik_entrypoint first appears in 1.0.0; traefik-proxy 0.3.0 does not know it and ignores it (traefik-proxy 0.3.0 installed)",
		"20: class TraefikFileProviderProxy first appears in traefik-proxy 1.0.0; the release in use does not have it and c.TraefikFileProviderProxy.dynamic_config_file is ignored (traefik-proxy 0.3.0 installed)",
	}
	if got := fs["HUB101"]; !reflect.DeepEqual(got, want) {
		t.Errorf("traefik-proxy 0.3.0: HUB101\n got %q\nwant %q", got, want)
	}
	for _, id := range []string{"HUB103", "HUB105"} {
		if len(fs[id]) > 0 {
			t.Errorf("traefik-proxy 0.3.0: %s: %v", id, fs[id])
		}
	}
}
