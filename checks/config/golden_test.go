package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestFactsGolden pins the JSON facts (the report's facts.config) of a
// small deployment directory.
func TestFactsGolden(t *testing.T) {
	f, err := Collect(Options{Dir: filepath.Join("testdata", "deployment")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := json.MarshalIndent(f, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "deployment.facts.json")
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("facts differ from %s (run with -update and review):\n%s", path, got)
	}
	if bytes.Contains(got, []byte("s3cr3t")) {
		t.Error("a secret is in the facts")
	}
}
