package main

import (
	"strings"
	"testing"

	"github.com/spf13/cobra"
)

// TestHelpFits: the help of every command, and the root's, has no line
// wider than 80 columns (flags and summaries are wrapped).
func TestHelpFits(t *testing.T) {
	root := (&env{getenv: func(string) string { return "" }}).rootCmd()
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(root, nil)
	// cobra adds completion and help when it runs.
	paths = append(paths, []string{"completion"}, []string{"completion", "bash"}, []string{"help"})
	if len(paths) < 12 {
		t.Fatalf("only %d commands", len(paths))
	}
	for _, p := range paths {
		code, out, errs := hubaudit(t, nil, append(p, "--help")...)
		if code != 0 || out == "" {
			t.Errorf("%v --help: exit %d\n%s", p, code, errs)
		}
		for i, ln := range strings.Split(out, "\n") {
			if len(ln) > 80 {
				t.Errorf("hubaudit %s --help, line %d is %d wide: %q", strings.Join(p, " "), i+1, len(ln), ln)
			}
		}
	}
}
