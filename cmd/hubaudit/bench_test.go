package main

import (
	"io"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// BenchmarkVersionInProcess measures `hubaudit version` in-process: building
// the CLI, loading and validating the embedded knowledge base, printing.
// The knowledge base is parsed once per process (sync.Once), so this is the
// per-call cost after the first; BenchmarkVersionProcess has the full
// start-up cost.
func BenchmarkVersionInProcess(b *testing.B) {
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false }}
	for i := 0; i < b.N; i++ {
		if code := e.run(b.Context(), []string{"version"}); code != 0 {
			b.Fatal(code)
		}
	}
}

// BenchmarkVersionProcess runs the built binary: process start, knowledge
// base load and validation, output. This is the start-up cost a user pays.
func BenchmarkVersionProcess(b *testing.B) {
	bin := filepath.Join(b.TempDir(), "hubaudit")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := exec.Command(bin, "version")
		cmd.Stdout = io.Discard
		if err := cmd.Run(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDemoPre is a full `hubaudit pre` of the demo deployment
// (config, SQLite database, two environments, a log) in-process.
func BenchmarkDemoPre(b *testing.B) {
	e := &env{stdout: io.Discard, stderr: io.Discard, getenv: func(string) string { return "" }, isTerminal: func(io.Writer) bool { return false }}
	for i := 0; i < b.N; i++ {
		if code := e.run(b.Context(), []string{"pre", "--target", "latest", "--dir", demoDir}); code != 1 {
			b.Fatal(code)
		}
	}
}

// TestLazyPatterns compiles every package-level pattern of the packages
// linked into hubaudit: they are compiled on first use, and some are used
// only by rare inputs.
func TestLazyPatterns(t *testing.T) {
	if n := lazyre.Count(); n < 30 {
		t.Errorf("only %d lazy patterns registered: is every package linked?", n)
	}
	if err := lazyre.Check(); err != nil {
		t.Fatal(err)
	}
}
