package logrules_test

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/logrules"
)

var update = flag.Bool("update", false, "rewrite the want files from the findings")

// want is one expectation: a finding of Rule (at a severity) at
// File:Line whose message matches Pattern.
type want struct {
	file string
	line int
	rule string
	// severity, when the want line gives one ("HUB404:error"), must be
	// the finding's.
	severity string
	pattern  *regexp.Regexp
	src      string
	used     bool
}

// wantFile is a parsed want file: "# mode: post", "# target: 5.5.1",
// "# logs: a.log b.log" headers, then "file:line RULE[:severity] regexp"
// lines.
type wantFile struct {
	mode   rules.Mode
	target string
	logs   []string
	wants  []*want
	header []string
}

func readWant(t *testing.T, path string) *wantFile {
	t.Helper()
	w := &wantFile{mode: rules.ModePre}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return w
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
		ln := sc.Text()
		if strings.TrimSpace(ln) == "" {
			continue
		}
		if strings.HasPrefix(ln, "#") {
			w.header = append(w.header, ln)
			k, v, _ := strings.Cut(strings.TrimSpace(strings.TrimPrefix(ln, "#")), ":")
			v = strings.TrimSpace(v)
			switch strings.TrimSpace(k) {
			case "mode":
				w.mode = rules.Mode(v)
			case "target":
				w.target = v
			case "logs":
				w.logs = strings.Fields(v)
			}
			continue
		}
		pos, rest, ok1 := strings.Cut(ln, " ")
		rule, pat, ok2 := strings.Cut(rest, " ")
		rule, sev, _ := strings.Cut(rule, ":")
		file, lineS, ok3 := strings.Cut(pos, ":")
		line, err := strconv.Atoi(lineS)
		if !ok1 || !ok2 || !ok3 || err != nil {
			t.Fatalf("%s:%d: want \"file:line RULE regexp\", got %q", path, n, ln)
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			t.Fatalf("%s:%d: %v", path, n, err)
		}
		w.wants = append(w.wants, &want{file: file, line: line, rule: rule, severity: sev, pattern: re, src: ln})
	}
	return w
}

// checkCase collects the logs, runs the HUB4xx rules and compares the
// findings with the want file, both ways.
func checkCase(t *testing.T, dir string, paths []string, wantPath string, rel func(string) string) {
	t.Helper()
	w := readWant(t, wantPath)
	k := kb.MustLoad()
	facts, err := logs.Collect(context.Background(), logs.Options{Paths: paths, KB: k, SinceLastStart: w.mode == rules.ModePost})
	if err != nil {
		t.Fatal(err)
	}
	in := &rules.Input{Mode: w.mode, KB: k, Logs: facts}
	if w.target != "" {
		r, err := k.Resolve(w.target)
		if err != nil {
			t.Fatal(err)
		}
		in.Target = r
	}
	res := rules.Run(logrules.Rules, in, rules.Options{})
	var got []string
	for _, f := range res.Findings {
		if f.RuleID[:4] != "HUB4" {
			t.Errorf("unexpected non-log finding %s: %s", f.RuleID, f.Message)
			continue
		}
		for _, secret := range []string{"s3cretpass", "abc123secret"} {
			if strings.Contains(f.Message, secret) || strings.Contains(f.Location.Subject, secret) {
				t.Errorf("%s leaks a secret from the log: %s", f.RuleID, f.Message)
			}
		}
		if strings.Contains(f.Message, "\n") {
			t.Errorf("%s message spans lines: %q", f.RuleID, f.Message)
		}
		file := rel(f.Location.File)
		got = append(got, fmt.Sprintf("%s:%d %s:%s %s", file, f.Location.Line, f.RuleID, f.Severity, f.Message))
		matched := false
		for _, wt := range w.wants {
			if !wt.used && wt.file == file && wt.line == f.Location.Line && wt.rule == f.RuleID &&
				(wt.severity == "" || wt.severity == f.Severity.String()) && wt.pattern.MatchString(f.Message) {
				wt.used, matched = true, true
				break
			}
		}
		if !matched && !*update {
			t.Errorf("%s: unexpected finding %s:%d %s [%s] %s", dir, file, f.Location.Line, f.RuleID, f.Location.Subject, f.Message)
		}
	}
	for _, wt := range w.wants {
		if !wt.used && !*update {
			t.Errorf("%s: no finding for %q", dir, wt.src)
		}
	}
	if *update {
		var b strings.Builder
		for _, h := range w.header {
			b.WriteString(h + "\n")
		}
		sort.SliceStable(got, func(i, j int) bool { return false })
		for _, g := range got {
			pos, rest, _ := strings.Cut(g, " ")
			rule, msg, _ := strings.Cut(rest, " ")
			b.WriteString(pos + " " + rule + " ^" + regexp.QuoteMeta(msg) + "$\n")
		}
		if err := os.WriteFile(wantPath, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestTestdata runs every case under testdata/logs: each directory holds
// logs in one format and a want.txt.
func TestTestdata(t *testing.T) {
	root := filepath.Join("..", "..", "testdata", "logs")
	dirs, err := os.ReadDir(root)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if !d.IsDir() || d.Name() == "fixtures" {
			continue
		}
		dir := filepath.Join(root, d.Name())
		t.Run(d.Name(), func(t *testing.T) {
			w := readWant(t, filepath.Join(dir, "want.txt"))
			var paths []string
			if len(w.logs) > 0 {
				for _, l := range w.logs {
					paths = append(paths, filepath.Join(dir, l))
				}
			} else {
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					if e.Name() != "want.txt" {
						paths = append(paths, filepath.Join(dir, e.Name()))
					}
				}
			}
			checkCase(t, dir, paths, filepath.Join(dir, "want.txt"), func(f string) string {
				if r, err := filepath.Rel(dir, f); err == nil {
					return r
				}
				return f
			})
		})
	}
}

// TestSharedFixtures checks the real hub logs in testdata/fixtures/logs against testdata/logs/fixtures/<log>.want and
// <log>.<case>.want.
func TestSharedFixtures(t *testing.T) {
	src := filepath.Join("..", "..", "testdata", "fixtures", "logs")
	logsFound, _ := filepath.Glob(filepath.Join(src, "*.log"))
	if len(logsFound) == 0 {
		t.Fatal("no logs in " + src)
	}
	wantDir := filepath.Join("..", "..", "testdata", "logs", "fixtures")
	for _, l := range logsFound {
		name := filepath.Base(l)
		stem := strings.TrimSuffix(name, ".log")
		// <stem>.want, and more cases as <stem>.<case>.want (e.g. the
		// same log judged in post mode).
		wps, _ := filepath.Glob(filepath.Join(wantDir, stem+".*want"))
		if len(wps) == 0 {
			wps = []string{filepath.Join(wantDir, stem+".want")}
		}
		for _, wp := range wps {
			t.Run(strings.TrimSuffix(filepath.Base(wp), ".want"), func(t *testing.T) {
				if _, err := os.Stat(wp); err != nil && !*update {
					t.Fatalf("no want file %s", wp)
				}
				checkCase(t, src, []string{l}, wp, filepath.Base)
			})
		}
	}
}
