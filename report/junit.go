package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/hubaudit/hubaudit/rules"
)

// JUnit XML as Jenkins (junit and xunit plugins, junit-10.xsd) and GitLab
// read it: one testsuite per source, one testcase per rule, a failure when
// the rule has findings at or above --fail-on, skipped for rules that did
// not run or whose findings were all suppressed. Findings below --fail-on
// are the case's system-out and suite properties, or failures too with
// JUnitWarnings "failure" (GitLab shows no output of a passing case).
type junitSuites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	// skipped counts the skipped cases; junit-10.xsd allows the
	// attribute on testsuite only.
	skipped int
	Suites  []junitSuite `xml:"testsuite"`
}

// JUnit modes for findings below --fail-on (Options.JUnitWarnings).
const (
	// JUnitOutput shows them as the case's system-out and as suite
	// properties: the case passes (Jenkins shows the output).
	JUnitOutput = "output"
	// JUnitFailure makes them failures too, typed by their severity, so
	// that GitLab's test report shows them.
	JUnitFailure = "failure"
)

// JUnitModes lists the JUnitWarnings values.
var JUnitModes = []string{JUnitOutput, JUnitFailure}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

// junitProperty is a suite property (the knowledge base's extent).
type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
	Skipped   *junitSkipped `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",chardata"`
}

type junitSkipped struct {
	Message string `xml:"message,attr"`
}

func writeJUnit(w io.Writer, r *Report, opts Options) error {
	skipped := map[string]string{}
	for _, s := range r.Skipped {
		skipped[s.RuleID] = s.Reason
	}
	byRule := map[string][]rules.Finding{}
	for _, f := range r.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	suppressed := map[string][]rules.Finding{}
	for _, f := range r.Suppressed {
		suppressed[f.RuleID] = append(suppressed[f.RuleID], f)
	}
	asFailure := opts.JUnitWarnings == JUnitFailure
	out := junitSuites{Name: "hubaudit " + r.Mode}
	for _, src := range rules.Sources {
		suite := junitSuite{Name: "hubaudit." + string(src), Time: "0"}
		if r.Knowledge != nil {
			suite.Properties = []junitProperty{{Name: "knowledge", Value: r.Knowledge.Line()}}
		}
		for _, rule := range r.Rules {
			if rule.Source != src {
				continue
			}
			c := junitCase{Name: rule.ID + " " + rule.Name, Classname: "hubaudit." + string(src), Time: "0"}
			fs, sup := byRule[rule.ID], suppressed[rule.ID]
			var outLines []string
			for _, f := range sup {
				outLines = append(outLines, "suppressed ("+f.Suppressed+"): "+findingLine(f))
			}
			switch reason, ok := skipped[rule.ID]; {
			case ok:
				c.Skipped = &junitSkipped{Message: reason}
				suite.Skipped++
			case len(fs) == 0 && len(sup) > 0:
				c.Skipped = &junitSkipped{Message: "suppressed: " + suppressReasons(sup)}
				suite.Skipped++
			case len(fs) > 0:
				var failing []string
				var failed []rules.Finding
				worst := rules.SeverityNone
				for _, f := range fs {
					line := findingLine(f)
					if fails := r.FailOn != rules.SeverityNone && f.Severity >= r.FailOn; fails || asFailure {
						failing = append(failing, line)
						failed = append(failed, f)
						if f.Severity > worst {
							worst = f.Severity
						}
						continue
					}
					outLines = append(outLines, line)
					suite.Properties = append(suite.Properties, junitProperty{Name: rule.ID, Value: line})
				}
				if len(failing) > 0 {
					c.Failure = &junitFailure{
						Message: fmt.Sprintf("%s: %s", rule.ID, firstMessage(failed)),
						Type:    worst.String(),
						Text:    strings.Join(failing, "\n"),
					}
					suite.Failures++
				}
			}
			if len(outLines) > 0 {
				c.SystemOut = strings.Join(outLines, "\n")
			}
			suite.Cases = append(suite.Cases, c)
			suite.Tests++
		}
		if suite.Tests == 0 {
			continue
		}
		out.add(suite)
	}
	out.addCoverage(r)
	io.WriteString(w, xml.Header)
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// add appends a suite and counts its cases in the totals.
func (out *junitSuites) add(s junitSuite) {
	out.Tests += s.Tests
	out.Failures += s.Failures
	out.skipped += s.Skipped
	out.Suites = append(out.Suites, s)
}

// suppressReasons joins the distinct reasons of suppressed findings.
func suppressReasons(fs []rules.Finding) string {
	var out []string
	seen := map[string]bool{}
	for _, f := range fs {
		if !seen[f.Suppressed] {
			seen[f.Suppressed] = true
			out = append(out, f.Suppressed)
		}
	}
	return strings.Join(out, "; ")
}

// firstMessage is the first failing finding's message, and how many more
// fail.
func firstMessage(fs []rules.Finding) string {
	if len(fs) > 1 {
		return fmt.Sprintf("%s (and %d more)", fs[0].Message, len(fs)-1)
	}
	return fs[0].Message
}

func findingLine(f rules.Finding) string {
	where := f.Position()
	if where == "" {
		where = f.Location.Subject
	}
	s := fmt.Sprintf("[%s] %s: %s", f.Severity, where, f.Message)
	if f.Fix != nil && f.Fix.Description != "" {
		s += " (fix: " + f.Fix.Description + ")"
	}
	return s
}

// addCoverage adds a suite with one case per input: skipped when the
// input was not read, and a failure on the inputs an incomplete verdict
// lacks (unless --fail-on never).
func (out *junitSuites) addCoverage(r *Report) {
	if len(r.Coverage) == 0 {
		return
	}
	lacks := map[string]Missing{}
	for _, m := range r.Missing {
		lacks[m.Input] = m
	}
	suite := junitSuite{Name: "hubaudit.coverage", Time: "0"}
	for _, c := range r.Coverage {
		tc := junitCase{Name: "input " + c.Input, Classname: "hubaudit.coverage", Time: "0"}
		m, missing := lacks[c.Input]
		delete(lacks, c.Input)
		switch {
		case missing && r.Verdict == VerdictIncomplete && r.FailOn != rules.SeverityNone:
			tc.Failure = &junitFailure{Message: m.Why, Type: VerdictIncomplete, Text: m.Why + "; pass " + m.Flag}
			suite.Failures++
		case c.Status != CoverageRead:
			tc.Skipped = &junitSkipped{Message: c.Status + ": " + c.Reason}
			suite.Skipped++
		default:
			tc.SystemOut = "read from " + strings.Join(c.From, ", ")
		}
		suite.Cases = append(suite.Cases, tc)
		suite.Tests++
	}
	for _, m := range r.Missing {
		if _, left := lacks[m.Input]; !left || r.Verdict != VerdictIncomplete || r.FailOn == rules.SeverityNone {
			continue
		}
		suite.Cases = append(suite.Cases, junitCase{Name: "input " + m.Input, Classname: "hubaudit.coverage", Time: "0",
			Failure: &junitFailure{Message: m.Why, Type: VerdictIncomplete, Text: m.Why + "; pass " + m.Flag}})
		suite.Tests++
		suite.Failures++
	}
	out.add(suite)
}
