package main

import (
	"os"
	"testing"
)

// TestRegenReproducesCommittedFacts runs regen in check mode over a git
// clone of jupyterhub/jupyterhub named by HUBAUDIT_JUPYTERHUB_GIT: the
// committed facts must be exactly what the tags give. It needs the clone
// (about 30 s over every tag), so it is skipped without one.
func TestRegenReproducesCommittedFacts(t *testing.T) {
	repo := os.Getenv("HUBAUDIT_JUPYTERHUB_GIT")
	if repo == "" {
		t.Skip("SKIP: set HUBAUDIT_JUPYTERHUB_GIT to a clone of jupyterhub/jupyterhub to check the committed facts against its tags")
	}
	diffs, err := run(repo, "../../../facts", true)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Error(d)
	}
}
