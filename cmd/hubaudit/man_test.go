package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra/doc"
)

// manDir holds the man pages generated from the commands.
var manDir = filepath.Join("..", "..", "docs", "man")

// TestManPages: docs/man holds one page per command, generated from the
// command tree by cobra/doc; it fails when a flag or command changed and
// the pages were not regenerated (go test ./cmd/hubaudit -run TestManPages
// -update).
func TestManPages(t *testing.T) {
	gen := t.TempDir()
	root := (&env{getenv: func(string) string { return "" }}).rootCmd()
	root.DisableAutoGenTag = true
	// A fixed date keeps the pages reproducible.
	date := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	header := &doc.GenManHeader{Title: "HUBAUDIT", Section: "1", Source: "hubaudit " + version, Manual: "hubaudit manual", Date: &date}
	if err := doc.GenManTree(root, header, gen); err != nil {
		t.Fatal(err)
	}
	if *update {
		os.RemoveAll(manDir)
		if err := os.CopyFS(manDir, os.DirFS(gen)); err != nil {
			t.Fatal(err)
		}
	}
	want, _ := filepath.Glob(filepath.Join(gen, "*.1"))
	have, _ := filepath.Glob(filepath.Join(manDir, "*.1"))
	if len(want) != len(have) || len(want) < 8 {
		t.Errorf("docs/man has %d pages, the commands make %d (go test ./cmd/hubaudit -run TestManPages -update)", len(have), len(want))
	}
	for _, p := range want {
		g, _ := os.ReadFile(p)
		c, err := os.ReadFile(filepath.Join(manDir, filepath.Base(p)))
		if err != nil || string(c) != string(g) {
			t.Errorf("docs/man/%s is stale (go test ./cmd/hubaudit -run TestManPages -update)", filepath.Base(p))
		}
	}
	// The completion command is in the tree the pages come from.
	if b, _ := os.ReadFile(filepath.Join(gen, "hubaudit.1")); !strings.Contains(string(b), `\fBhubaudit-completion(1)\fP`) {
		t.Error("hubaudit.1 does not name hubaudit-completion(1)")
	}
	if _, err := os.Stat(filepath.Join(gen, "hubaudit-completion-bash.1")); err != nil {
		t.Error("no page for hubaudit completion bash")
	}
	b, _ := os.ReadFile(filepath.Join(gen, "hubaudit-pre.1"))
	for _, want := range []string{".TH \"HUBAUDIT\" \"1\"", `\fB--output\fP`, `\fB--target\fP`, "hubaudit-pre"} {
		if !strings.Contains(string(b), want) {
			t.Errorf("hubaudit-pre.1 lacks %q", want)
		}
	}
}
