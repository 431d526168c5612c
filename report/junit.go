package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/hubaudit/hubaudit/rules"
)

// JUnit XML as Jenkins (junit plugin) and GitLab read it: one testsuite per
// source, one testcase per rule, a failure when the rule has findings at or
// above --fail-on, skipped for rules that did not run.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

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

func writeJUnit(w io.Writer, r *Report) error {
	skipped := map[string]string{}
	for _, s := range r.Skipped {
		skipped[s.RuleID] = s.Reason
	}
	byRule := map[string][]rules.Finding{}
	for _, f := range r.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
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
			if reason, ok := skipped[rule.ID]; ok {
				c.Skipped = &junitSkipped{Message: reason}
				suite.Skipped++
			} else if fs := byRule[rule.ID]; len(fs) > 0 {
				var failing, other []string
				worst := rules.SeverityNone
				for _, f := range fs {
					line := findingLine(f)
					if r.FailOn != rules.SeverityNone && f.Severity >= r.FailOn {
						failing = append(failing, line)
						if f.Severity > worst {
							worst = f.Severity
						}
					} else {
						other = append(other, line)
					}
				}
				if len(failing) > 0 {
					c.Failure = &junitFailure{
						Message: fmt.Sprintf("%s: %s", rule.ID, firstMessage(fs, r.FailOn)),
						Type:    worst.String(),
						Text:    strings.Join(failing, "\n"),
					}
					suite.Failures++
				}
				if len(other) > 0 {
					c.SystemOut = strings.Join(other, "\n")
				}
			}
			suite.Cases = append(suite.Cases, c)
			suite.Tests++
		}
		if suite.Tests == 0 {
			continue
		}
		out.Tests += suite.Tests
		out.Failures += suite.Failures
		out.Skipped += suite.Skipped
		out.Suites = append(out.Suites, suite)
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

func firstMessage(fs []rules.Finding, min rules.Severity) string {
	n := 0
	first := ""
	for _, f := range fs {
		if f.Severity >= min {
			if first == "" {
				first = f.Message
			}
			n++
		}
	}
	if n > 1 {
		return fmt.Sprintf("%s (and %d more)", first, n-1)
	}
	return first
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
	out.Tests += suite.Tests
	out.Failures += suite.Failures
	out.Skipped += suite.Skipped
	out.Suites = append(out.Suites, suite)
}
