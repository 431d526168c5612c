package udiff

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnifiedMatchesDiff(t *testing.T) {
	var a, b []string
	for i := 1; i <= 30; i++ {
		a = append(a, "line "+string(rune('a'+i%26)))
	}
	b = append([]string{}, a...)
	b[2] = "changed 3"
	b = append(b[:15], append([]string{"inserted"}, b[15:]...)...)
	b = append(b[:25], b[26:]...)
	at, bt := strings.Join(a, "\n")+"\n", strings.Join(b, "\n")+"\n"
	got := Unified("a", "b", at, bt)
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("diff not installed; cannot compare with it")
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a"), []byte(at), 0o644)
	os.WriteFile(filepath.Join(dir, "b"), []byte(bt), 0o644)
	cmd := exec.Command("diff", "-u", "--label", "a", "--label", "b", "a", "b")
	cmd.Dir = dir
	want, _ := cmd.Output()
	if got != string(want) {
		t.Errorf("got:\n%s\nwant (diff -u):\n%s", got, want)
	}
	if Unified("a", "b", at, at) != "" {
		t.Error("equal texts gave a diff")
	}
}
