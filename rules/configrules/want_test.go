package configrules

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// The testdata files carry their expectations inline:
//
//	# target: 5.5.1            (required)
//	# current: 4.1.6           (optional: the detected current version)
//	# companions: oauthenticator=16.3.1,dockerspawner=12.1.0 (hub env)
//	# rules: HUB101,HUB130     (optional: rules run; default all but the
//	#                           always-on notes HUB111, HUB114, HUB130)
//	c.X.y = 1  # want HUB101 "regexp" HUB102 "regexp"
//	# want-file HUB110 "regexp" (a finding anywhere in the file)
//
// Every finding must be wanted and every want must be found.

var (
	headerRE = regexp.MustCompile(`(?m)^#\s*(target|current|companions|rules):\s*(\S+)\s*$`)
	wantRE   = regexp.MustCompile(`#\s*want(-file)?\s+((?:HUB\d{3}\s+"(?:[^"\\]|\\.)*"\s*)+)`)
	oneRE    = regexp.MustCompile(`(HUB\d{3})\s+"((?:[^"\\]|\\.)*)"`)
)

type want struct {
	line int // 0: anywhere
	rule string
	re   *regexp.Regexp
	hit  bool
}

func runWantFile(t *testing.T, path string) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	hdr := map[string]string{}
	for _, m := range headerRE.FindAllStringSubmatch(strings.TrimPrefix(string(src), "\ufeff"), -1) {
		hdr[m[1]] = m[2]
	}
	k := kb.MustLoad()
	target, err := k.Resolve(hdr["target"])
	if err != nil {
		t.Fatalf("%s: bad or missing '# target:' header: %v", path, err)
	}
	f := config.AnalyzeSource(path, src)
	in := &rules.Input{Mode: rules.ModePre, KB: k, Target: target, Config: f, States: map[rules.Source]rules.SourceState{}}
	if c := hdr["current"]; c != "" {
		in.Current = pep440.MustParse(c)
	}
	if c := hdr["companions"]; c != "" {
		e := env.Environment{Role: "hub", Packages: map[string]string{}}
		for _, kv := range strings.Split(c, ",") {
			n, v, _ := strings.Cut(kv, "=")
			e.Packages[n] = v
		}
		in.Env = &env.Facts{Environments: []env.Environment{e}}
	}
	sel := Rules
	if r := hdr["rules"]; r != "" {
		sel = nil
		for _, id := range strings.Split(r, ",") {
			for _, rr := range Rules {
				if rr.ID == id {
					sel = append(sel, rr)
				}
			}
		}
	} else {
		sel = nil
		for _, rr := range Rules {
			if rr.ID != "HUB111" && rr.ID != "HUB114" && rr.ID != "HUB130" {
				sel = append(sel, rr)
			}
		}
	}
	res := rules.Run(append(sel, rules.SuppressionProblem), in, rules.Options{Suppressions: Suppressions(f)})
	var wants []*want
	for i, line := range strings.Split(string(src), "\n") {
		for _, m := range wantRE.FindAllStringSubmatch(line, -1) {
			for _, o := range oneRE.FindAllStringSubmatch(m[2], -1) {
				re, err := regexp.Compile(strings.ReplaceAll(o[2], `\"`, `"`))
				if err != nil {
					t.Fatalf("%s:%d: bad want regexp: %v", path, i+1, err)
				}
				w := &want{line: i + 1, rule: o[1], re: re}
				if m[1] == "-file" {
					w.line = 0
				}
				wants = append(wants, w)
			}
		}
	}
	for _, fd := range res.Findings {
		matched := false
		for _, w := range wants {
			if w.hit || w.rule != fd.RuleID || (w.line != 0 && w.line != fd.Location.Line) || !w.re.MatchString(fd.Message) {
				continue
			}
			w.hit, matched = true, true
			break
		}
		if !matched {
			t.Errorf("%s:%d: unexpected %s %s", filepath.Base(path), fd.Location.Line, fd.RuleID, fd.Message)
		}
		// Secrets never appear in findings.
		if strings.Contains(fd.Message, "s3cr3t") {
			t.Errorf("%s: a secret leaked into a finding: %s", path, fd.Message)
		}
	}
	for _, w := range wants {
		if !w.hit {
			t.Errorf("%s:%d: wanted %s %q, not reported", filepath.Base(path), w.line, w.rule, w.re)
		}
	}
}

func TestWant(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.py")
	yml, _ := filepath.Glob("testdata/*.yaml")
	files = append(files, yml...)
	sort.Strings(files)
	if len(files) < 25 {
		t.Errorf("only %d testdata configs, want at least 25", len(files))
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) { runWantFile(t, f) })
	}
}

func TestValidate(t *testing.T) {
	if err := rules.Validate(Rules); err != nil {
		t.Fatal(err)
	}
	_ = fmt.Sprint
}

func TestEmptyConfig(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "jupyterhub_config.py")
	if err := os.WriteFile(p, []byte("\n\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := config.Collect(config.Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	k := kb.MustLoad()
	res := rules.Run([]*rules.Rule{EmptyConfig, ParseError, UnknownOption}, &rules.Input{Mode: rules.ModePre, KB: k, Target: k.Latest(), Config: f}, rules.Options{})
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "HUB106" || res.Findings[0].Message != "jupyterhub_config.py is empty: the hub runs with every default; pass the real config with --config if it lives elsewhere" {
		t.Fatalf("findings %+v", res.Findings)
	}
}
