package shell

import (
	"os/exec"
	"testing"
)

// TestQuote checks each quoted word with bash itself: it must come back
// as exactly the one word it was.
func TestQuote(t *testing.T) {
	for in, want := range map[string]string{
		"values.yaml":               "values.yaml",
		"/opt/tljh/hub/bin/python":  "/opt/tljh/hub/bin/python",
		"sqlite:////data/hub.db":    "sqlite:////data/hub.db",
		"my hub/values.yaml":        "'my hub/values.yaml'",
		"it's":                      `'it'\''s'`,
		"":                          "''",
		"$(rm -rf ~)":               "'$(rm -rf ~)'",
		"a;b":                       "'a;b'",
		"glob*":                     "'glob*'",
		"all,-HUB4*":                "'all,-HUB4*'",
		"image=envs/user image.txt": "'image=envs/user image.txt'",
	} {
		got := Quote(in)
		if got != want {
			t.Errorf("Quote(%q) = %s, want %s", in, got, want)
		}
		out, err := exec.Command("bash", "-c", `printf '%s' `+got).Output()
		if err != nil {
			t.Fatalf("bash: %v", err)
		}
		if string(out) != in {
			t.Errorf("bash reads %s as %q, want %q", got, out, in)
		}
	}
}
