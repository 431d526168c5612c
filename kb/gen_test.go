package kb

import (
	"bytes"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestGeneratedDataUpToDate regenerates the knowledge base from the fact
// tables in kb/facts and kb/extra and compares it with the embedded Go
// files, so hand edits and stale data are caught.
func TestGeneratedDataUpToDate(t *testing.T) {
	// The generator runs in a child process, whose reads the test cache
	// does not see: read its inputs here so that editing a table
	// invalidates a cached pass.
	for _, dir := range []string{"facts", "extra", "gen", "kbdata"} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				_, err = os.ReadFile(p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	cmd := exec.Command("go", "run", "./gen", "-facts", "facts", "-out", out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("generator: %v\n%s", err, b)
	}
	for _, name := range []string{"core_gen.go", "traits_gen.go", "packages_gen.go", "z2jh_gen.go"} {
		want, err1 := os.ReadFile(filepath.Join(out, name))
		got, err2 := os.ReadFile(name)
		if err1 != nil || err2 != nil || !bytes.Equal(got, want) {
			t.Errorf("%s is stale or edited by hand: run go generate ./kb (%v, %v)", name, err1, err2)
		}
	}
}
