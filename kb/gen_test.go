package kb

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedDataUpToDate regenerates the knowledge base from
// ../shared/facts and the extra tables and compares it with the embedded
// Go files, so hand edits and stale data are caught.
func TestGeneratedDataUpToDate(t *testing.T) {
	facts := filepath.Join("..", "..", "shared", "facts")
	if _, err := os.Stat(facts); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("shared/facts is missing in CI: %v", err)
		}
		t.Skipf("SKIP: %s not found; cannot check the generated data", facts)
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./gen", "-facts", facts, "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	for _, name := range []string{"core_gen.go", "traits_gen.go", "packages_gen.go"} {
		want, err1 := os.ReadFile(filepath.Join(out, name))
		got, err2 := os.ReadFile(name)
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale or edited by hand: run go generate ./kb (%v, %v)", name, err1, err2)
		}
	}
}
