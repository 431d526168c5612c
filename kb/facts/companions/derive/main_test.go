package main

import (
	"os"
	"path/filepath"
	"testing"
)

// TestDeriveReproducesCommittedTables runs derive in check mode over the
// clones of the nine companion repositories in the folder named by
// HUBAUDIT_COMPANION_GITS (oauthenticator, kubespawner, dockerspawner,
// ldapauthenticator, nativeauthenticator, batchspawner, systemdspawner,
// traefik-proxy, jupyterhub-idle-culler, each a git clone, bare or not):
// releases.tsv and the companions' trait tables must be exactly what the
// tags give. Skipped without the clones.
func TestDeriveReproducesCommittedTables(t *testing.T) {
	dir := os.Getenv("HUBAUDIT_COMPANION_GITS")
	if dir == "" {
		t.Skip("SKIP: set HUBAUDIT_COMPANION_GITS to a folder of clones of the nine companion repositories to check the committed tables against their tags")
	}
	repos := map[string]string{}
	for dist, name := range map[string]string{"oauthenticator": "oauthenticator", "jupyterhub-kubespawner": "kubespawner",
		"dockerspawner": "dockerspawner", "jupyterhub-ldapauthenticator": "ldapauthenticator",
		"jupyterhub-nativeauthenticator": "nativeauthenticator", "batchspawner": "batchspawner",
		"jupyterhub-systemdspawner": "systemdspawner", "jupyterhub-traefik-proxy": "traefik-proxy",
		"jupyterhub-idle-culler": "jupyterhub-idle-culler"} {
		repos[dist] = filepath.Join(dir, name)
	}
	diffs, err := checkTables("../releases.tsv", "../../traits", repos)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
