package main

import (
	"strings"
	"testing"
)

// TestCompletion: cobra's completion scripts for each shell, and the
// values hubaudit offers for its flags.
func TestCompletion(t *testing.T) {
	for shell, want := range map[string]string{
		"bash": "__start_hubaudit", "zsh": "#compdef hubaudit", "fish": "complete -c hubaudit",
	} {
		code, out, errs := hubaudit(t, nil, "completion", shell)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("completion %s: exit %d, no %q\n%s", shell, code, want, errs)
		}
	}
	cases := []struct {
		args []string
		want []string
	}{
		{[]string{"pre", "--format", ""}, []string{"table", "json", "junit", "sarif", "markdown"}},
		{[]string{"pre", "--output", ""}, []string{"table=", "json=", "junit=", "sarif=", "markdown="}},
		{[]string{"post", "--fail-on", ""}, []string{"error", "warning", "note", "never"}},
		{[]string{"fix-config", "--target", ""}, []string{"latest", "0.9.0", "5.5.1"}},
		{[]string{""}, []string{"pre", "post", "rules", "explain", "versions", "completion"}},
	}
	for _, c := range cases {
		code, out, _ := hubaudit(t, nil, append([]string{"__complete"}, c.args...)...)
		got := map[string]bool{}
		for _, ln := range strings.Split(out, "\n") {
			name, _, _ := strings.Cut(ln, "\t")
			got[name] = true
		}
		for _, w := range c.want {
			if code != 0 || !got[w] {
				t.Errorf("complete %v: exit %d, no %q in\n%s", c.args, code, w, out)
			}
		}
	}
}
