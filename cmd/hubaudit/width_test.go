package main

import (
	"bytes"
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// TestFitsTerminal: with COLUMNS=80 (and 60, 100) no line of pre on the
// demo, of post, of rules or of versions is wider than that many display
// columns (save a line that is one unbreakable word); the rules table, whose titles are long, uses the whole width.
func TestFitsTerminal(t *testing.T) {
	for _, cols := range []int{80, 60, 100} {
		environ := map[string]string{"COLUMNS": strconv.Itoa(cols)}
		for _, args := range [][]string{
			{"pre", "--target", "latest", "--dir", demoDir},
			{"post", "--dir", demoDir},
			{"rules"},
			{"versions"},
		} {
			_, out, errs := hubaudit(t, environ, args...)
			if out == "" {
				t.Fatalf("%v: no output\n%s", args, errs)
			}
			widest := 0
			for i, ln := range strings.Split(out, "\n") {
				w := runewidth.StringWidth(ln)
				widest = max(widest, w)
				// A single word (a plan command's absolute path, which must
				// paste whole) may be wider: its length depends on where
				// the checkout lives, not on the renderer.
				if w > cols && strings.Contains(strings.TrimSpace(ln), " ") {
					t.Errorf("COLUMNS=%d %v: line %d is %d wide: %q", cols, args, i+1, w, ln)
				}
			}
			if args[0] == "rules" && widest != cols {
				t.Errorf("COLUMNS=%d rules: the table is %d wide", cols, widest)
			}
		}
	}
}

// TestWidthSource: the terminal's size, else COLUMNS, else 80.
func TestWidthSource(t *testing.T) {
	var out bytes.Buffer
	cases := []struct {
		term    int
		columns string
		want    int
	}{
		{70, "100", 70}, {0, "100", 100}, {0, "", 80}, {0, "wide", 80}, {0, "-5", 80},
	}
	for _, c := range cases {
		e := &env{getenv: func(string) string { return c.columns }, termWidth: func(io.Writer) int { return c.term }}
		if got := e.width(&out); got != c.want {
			t.Errorf("terminal %d, COLUMNS %q: width %d, want %d", c.term, c.columns, got, c.want)
		}
	}
}
