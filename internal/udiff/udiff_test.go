package udiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestUnifiedMatchesDiff compares with GNU diff -u on several edits,
// including a last line without a newline.
func TestUnifiedMatchesDiff(t *testing.T) {
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("SKIP: diff is not installed; cannot compare with it")
	}
	var base []string
	for i := 1; i <= 30; i++ {
		base = append(base, "line "+string(rune('a'+i%26)))
	}
	edited := append([]string{}, base...)
	edited[2] = "changed 3"
	edited = append(edited[:15], append([]string{"inserted"}, edited[15:]...)...)
	edited = append(edited[:25], edited[26:]...)
	cases := [][2]string{
		{strings.Join(base, "\n") + "\n", strings.Join(edited, "\n") + "\n"},
		{"a\nb\nc", "a\nb\nd"},
		{"a\nb\n", "a\nb"},
		{"", "new\n"},
		{"old\n", ""},
	}
	for i, c := range cases {
		got := Unified("a", "b", c[0], c[1])
		dir := t.TempDir()
		os.WriteFile(filepath.Join(dir, "a"), []byte(c[0]), 0o644)
		os.WriteFile(filepath.Join(dir, "b"), []byte(c[1]), 0o644)
		cmd := exec.Command("diff", "-u", "--label", "a", "--label", "b", "a", "b")
		cmd.Dir = dir
		want, _ := cmd.Output()
		if got != string(want) {
			t.Errorf("case %d: got:\n%s\nwant (diff -u):\n%s", i, got, want)
		}
	}
	if Unified("a", "b", "same\n", "same\n") != "" {
		t.Error("equal texts gave a diff")
	}
}
