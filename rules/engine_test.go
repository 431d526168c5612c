package rules

import (
	"errors"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/checks/db"
)

func testRule(id, name string, src Source, run func(*Pass) error) *Rule {
	return &Rule{ID: id, Name: name, Title: "t", Doc: strings.Repeat("documentation ", 5), Severity: Warning, Source: src, Run: run}
}

func report(subject, file string, line int) func(*Pass) error {
	return func(p *Pass) error {
		p.Reportf(Location{Subject: subject, File: file, Line: line}, "finding on %s", subject)
		return nil
	}
}

func TestValidate(t *testing.T) {
	ok := testRule("HUB101", "a-rule", SourceConfig, report("x", "", 0))
	if err := Validate([]*Rule{ok}); err != nil {
		t.Fatal(err)
	}
	bad := []*Rule{
		testRule("HUB1", "short", SourceConfig, report("x", "", 0)),
		testRule("HUB201", "wrong-band", SourceConfig, report("x", "", 0)),
		testRule("HUB101", "Not_Kebab", SourceConfig, report("x", "", 0)),
		{ID: "HUB102", Name: "no-doc", Title: "t", Severity: Error, Source: SourceConfig, Run: report("x", "", 0)},
		{ID: "HUB103", Name: "no-run", Title: "t", Doc: strings.Repeat("doc ", 20), Severity: Error, Source: SourceConfig},
	}
	for _, r := range bad {
		if err := Validate([]*Rule{r}); err == nil {
			t.Errorf("%s %s accepted", r.ID, r.Name)
		}
	}
	if err := Validate([]*Rule{ok, ok}); err == nil || !strings.Contains(err.Error(), "duplicate ID") {
		t.Errorf("duplicate not refused: %v", err)
	}
}

func TestSelect(t *testing.T) {
	rs := []*Rule{
		testRule("HUB101", "unknown-option", SourceConfig, nil),
		testRule("HUB102", "deprecated-option", SourceConfig, nil),
		testRule("HUB401", "schema-mismatch-seen", SourceLogs, nil),
	}
	ids := func(rs []*Rule) string {
		var s []string
		for _, r := range rs {
			s = append(s, r.ID)
		}
		return strings.Join(s, ",")
	}
	cases := map[string]string{
		"":                    "HUB101,HUB102,HUB401",
		"all,-HUB4*":          "HUB101,HUB102",
		"HUB1*":               "HUB101,HUB102",
		"deprecated-option":   "HUB102",
		"-unknown-option":     "HUB102,HUB401",
		"hub101, schema-mis*": "HUB101,HUB401",
	}
	for expr, want := range cases {
		got, err := Select(rs, expr)
		if err != nil || ids(got) != want {
			t.Errorf("Select(%q) = %s, %v; want %s", expr, ids(got), err, want)
		}
	}
	for _, bad := range []string{"HUB999", "[", "nosuch-rule"} {
		if _, err := Select(rs, bad); err == nil {
			t.Errorf("Select(%q) accepted", bad)
		}
	}
}

func TestRunSkipsAndFailures(t *testing.T) {
	needsDB := testRule("HUB201", "needs-db", SourceDB, report("db:x", "", 0))
	needsDB.Needs = []Source{SourceDB}
	post := testRule("HUB510", "post-only", SourceUpgrade, report("p", "", 0))
	post.Phase = PhasePost
	target := testRule("HUB503", "needs-target", SourceUpgrade, report("t", "", 0))
	target.NeedsTarget = true
	failing := testRule("HUB504", "fails", SourceUpgrade, func(*Pass) error { return errors.New("boom") })
	panicking := testRule("HUB505", "panics", SourceUpgrade, func(p *Pass) error { var m map[string]int; m["x"]++; return nil })
	in := &Input{Mode: ModePre, States: map[Source]SourceState{SourceDB: {Status: "failed", Reason: "connection refused"}}}
	res := Run([]*Rule{needsDB, post, target, failing, panicking}, in, Options{})
	want := map[string]string{"HUB201": "db: connection refused", "HUB510": "runs in post only", "HUB503": "needs --target"}
	if len(res.Skipped) != 3 {
		t.Fatalf("skipped: %+v", res.Skipped)
	}
	for _, s := range res.Skipped {
		if want[s.RuleID] != s.Reason {
			t.Errorf("skip %s: %q, want %q", s.RuleID, s.Reason, want[s.RuleID])
		}
	}
	if len(res.Findings) != 2 {
		t.Fatalf("findings: %+v", res.Findings)
	}
	for _, f := range res.Findings {
		if f.RuleID != "HUB903" || f.Severity != Error {
			t.Errorf("rule failure finding: %+v", f)
		}
	}
	if !strings.Contains(res.Findings[0].Message, "HUB504") || !strings.Contains(res.Findings[1].Message, "panic") {
		t.Errorf("messages: %q / %q", res.Findings[0].Message, res.Findings[1].Message)
	}
	// With DB facts the rule runs.
	in = &Input{Mode: ModePre, DB: &db.Facts{}}
	res = Run([]*Rule{needsDB}, in, Options{})
	if len(res.Findings) != 1 || res.Findings[0].RuleID != "HUB201" || res.Findings[0].Source != SourceDB {
		t.Errorf("findings: %+v", res.Findings)
	}
}

func TestSuppressionsOverridesDedupe(t *testing.T) {
	r1 := testRule("HUB101", "one", SourceConfig, func(p *Pass) error {
		p.Reportf(Location{File: "c.py", Line: 3, Subject: "trait:A.b"}, "one")
		p.Reportf(Location{File: "c.py", Line: 3, Subject: "trait:A.b"}, "one again")
		p.Reportf(Location{File: "c.py", Line: 9, Subject: "trait:A.c"}, "other line")
		return nil
	})
	r2 := testRule("HUB102", "two", SourceConfig, report("trait:X.y", "c.py", 1))
	r3 := testRule("HUB103", "three", SourceConfig, report("trait:Z.z", "c.py", 2))
	opts := Options{
		Severities: map[string]Severity{"HUB102": Error, "HUB10*": Note},
		Suppressions: []Suppression{
			{Rules: []string{"HUB101"}, File: "c.py", Line: 9, Reason: "known", Origin: "c.py:8"},
			{Rules: []string{"HUB103"}, File: "c.py", Line: 2, Origin: "c.py:2"},                              // no reason: refused
			{Rules: []string{"HUB102"}, Subject: "trait:Nope.*", Reason: "stale", Origin: ".hubaudit.yaml:3"}, // unused
		},
	}
	res := Run([]*Rule{r1, r2, r3}, &Input{Mode: ModePre}, opts)
	var got []string
	for _, f := range res.Findings {
		got = append(got, f.RuleID+"|"+f.Severity.String()+"|"+f.Location.Subject)
	}
	want := []string{
		"HUB102|error|trait:X.y",
		"HUB103|note|trait:Z.z",
		"HUB101|note|trait:A.b",
		"HUB902|note|suppression:.hubaudit.yaml:3",
		"HUB902|warning|suppression:c.py:2",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(res.Suppressed) != 1 || res.Suppressed[0].Suppressed != "known" {
		t.Errorf("suppressed: %+v", res.Suppressed)
	}
}

func TestSeverityAndSummary(t *testing.T) {
	for _, s := range []string{"error", "warning", "note", "never"} {
		v, err := ParseSeverity(s)
		if err != nil || v.String() != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, v, err)
		}
	}
	if _, err := ParseSeverity("fatal"); err == nil {
		t.Error("fatal accepted")
	}
	fs := []Finding{{Severity: Warning}, {Severity: Note}, {Severity: Warning}}
	if s := Summarize(fs); s != (Summary{Error: 0, Warning: 2, Note: 1}) {
		t.Errorf("summary %+v", s)
	}
	if AtOrAbove(fs, Error) || !AtOrAbove(fs, Warning) || AtOrAbove(fs, SeverityNone) {
		t.Error("AtOrAbove wrong")
	}
}
