package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mattn/go-runewidth"
)

// TestFitsTerminal: with COLUMNS=80 (and 60, 100) no line of pre on the
// demo, of post (alone and against a baseline), of rules, of versions,
// and of pre on the other kinds (TLJH, docker compose, a Zero to
// JupyterHub chart, whose plans hold long paths, a quoted Python program
// and a command substitution) is wider than that many display columns;
// the rules table, whose titles are long, uses the whole width.
func TestFitsTerminal(t *testing.T) {
	testdata, _ := filepath.Abs("testdata")
	z2jh := z2jhDeployment(t, "")
	snapshot := filepath.Join(t.TempDir(), "pre.json")
	t.Chdir(demoDir)
	if code, _, errs := hubaudit(t, nil, "pre", "--target", "4.1.6", "--snapshot", snapshot); code > exitFindings {
		t.Fatalf("pre --snapshot: exit %d\n%s", code, errs)
	}
	runs := []struct {
		dir  string // "" for the demo, as the README runs it: no path depends on where the checkout lives
		args []string
	}{
		{"", []string{"pre", "--target", "latest"}},
		{"", []string{"post"}},
		{"", []string{"post", "--baseline", snapshot}},
		{"", []string{"rules"}},
		{"", []string{"versions"}},
		{testdata, []string{"pre", "--target", "5.5.1", "--dir", "tljh", "--hub-env", "tljh/hub-freeze.txt"}},
		{testdata, []string{"pre", "--target", "5.5.1", "--dir", "compose"}},
		{z2jh, []string{"pre", "--target", "chart:4.0.0", "--chart-version", "3.3.8", "--config", "values.yaml"}},
	}
	for _, cols := range []int{80, 60, 100} {
		environ := map[string]string{"COLUMNS": strconv.Itoa(cols)}
		for _, r := range runs {
			if r.dir != "" {
				t.Chdir(r.dir)
			} else {
				t.Chdir(demoDir)
			}
			args := r.args
			_, out, errs := hubaudit(t, environ, args...)
			if out == "" {
				t.Fatalf("%v: no output\n%s", args, errs)
			}
			widest := 0
			for i, ln := range strings.Split(out, "\n") {
				w := runewidth.StringWidth(ln)
				widest = max(widest, w)
				if w > cols {
					t.Errorf("COLUMNS=%d %v: line %d is %d wide: %q", cols, args, i+1, w, ln)
				}
			}
			if args[0] == "rules" && widest != cols {
				t.Errorf("COLUMNS=%d rules: the table is %d wide", cols, widest)
			}
		}
	}
}

// TestTableIndependentOfPath: the demo audited from elsewhere, once where
// it is and once moved under a 130-character path, shows the same header
// and findings: paths under --dir are shown relative to it. (The plan's
// commands keep their paths, to run as printed.)
func TestTableIndependentOfPath(t *testing.T) {
	deep := filepath.Join(t.TempDir(), strings.Repeat("a", 60), strings.Repeat("b", 60), "demo")
	if err := os.MkdirAll(filepath.Dir(deep), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(copyDemo(t), deep); err != nil {
		t.Fatal(err)
	}
	environ := map[string]string{"COLUMNS": "80"}
	findings := func(dir string) string {
		_, out, errs := hubaudit(t, environ, "pre", "--target", "latest", "--dir", dir)
		head, _, ok := strings.Cut(out, "\nUpgrade plan ")
		if !ok {
			t.Fatalf("no plan:\n%s%s", out, errs)
		}
		if strings.Contains(head, dir) {
			t.Errorf("the table shows %s in full:\n%s", dir, head)
		}
		return head
	}
	if shallow, far := findings(demoDir), findings(deep); far != shallow {
		t.Errorf("the table differs with the deployment at %s:\n%s\n---\n%s", deep, shallow, far)
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
