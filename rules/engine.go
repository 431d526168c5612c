package rules

import (
	"fmt"
	"path"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
)

// Suppression silences findings of some rules, inline in a config file
// ("# hubaudit: ignore[HUB101] reason") or from .hubaudit.yaml.
type Suppression struct {
	// Rules are rule IDs or globs ("HUB1*").
	Rules []string `json:"rules"`
	// File and Line restrict an inline suppression to one line; Subject
	// (a glob) restricts a file-level one.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line,omitempty"`
	Subject string `json:"subject,omitempty"`
	Reason  string `json:"reason"`
	// Origin says where the suppression was written ("config.py:12",
	// ".hubaudit.yaml:4").
	Origin string `json:"origin"`
	used   bool
}

func (s *Suppression) matches(f Finding) bool {
	if !matchAny(s.Rules, f.RuleID) {
		return false
	}
	if s.File != "" && s.File != f.Location.File {
		return false
	}
	if s.Line != 0 && s.Line != f.Location.Line {
		return false
	}
	if s.Subject != "" {
		ok, _ := path.Match(s.Subject, f.Location.Subject)
		if !ok {
			return false
		}
	}
	return true
}

// Options change what the engine runs and how it post-processes findings.
type Options struct {
	// Checks selects rules: comma-separated IDs, names or globs, "all",
	// and exclusions prefixed with "-" ("all,-HUB4*"). Empty means all.
	Checks string
	// Severities overrides rules' severities by ID or glob.
	Severities map[string]Severity
	// Suppressions silence matching findings.
	Suppressions []Suppression
}

// Result is what a run produced.
type Result struct {
	// Findings are sorted, de-duplicated and unsuppressed.
	Findings []Finding
	// Suppressed are the findings a suppression matched.
	Suppressed []Finding
	// Ran lists the rules that ran, in order; Skipped the ones that did not.
	Ran     []*Rule
	Skipped []Skipped
}

// Select returns the rules that a --checks expression keeps, in order.
func Select(rs []*Rule, expr string) ([]*Rule, error) {
	expr = strings.TrimSpace(expr)
	if expr == "" {
		return rs, nil
	}
	var include, exclude []string
	for _, part := range strings.Split(expr, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if strings.HasPrefix(part, "-") {
			exclude = append(exclude, part[1:])
		} else {
			include = append(include, part)
		}
	}
	if len(include) == 0 {
		include = []string{"all"}
	}
	for _, pat := range append(append([]string{}, include...), exclude...) {
		if _, err := path.Match(pat, ""); err != nil {
			return nil, fmt.Errorf("bad --checks pattern %q: %v", pat, err)
		}
		if pat == "all" {
			continue
		}
		found := false
		for _, r := range rs {
			if matchRule(pat, r) {
				found = true
				break
			}
		}
		if !found {
			return nil, fmt.Errorf("--checks: %q matches no rule", pat)
		}
	}
	var out []*Rule
	for _, r := range rs {
		in := false
		for _, p := range include {
			if p == "all" || matchRule(p, r) {
				in = true
			}
		}
		for _, p := range exclude {
			if matchRule(p, r) {
				in = false
			}
		}
		if in {
			out = append(out, r)
		}
	}
	return out, nil
}

func matchRule(pat string, r *Rule) bool {
	if pat == "all" {
		return true
	}
	for _, s := range []string{r.ID, r.Name} {
		if ok, _ := path.Match(strings.ToUpper(pat), strings.ToUpper(s)); ok {
			return true
		}
	}
	return false
}

func matchAny(pats []string, id string) bool {
	for _, p := range pats {
		if ok, _ := path.Match(strings.ToUpper(p), id); ok {
			return true
		}
	}
	return false
}

// Run runs the rules on the input and post-processes the findings. A rule
// whose needed sources are missing, or that needs a target when none was
// given, or whose phase is not the input's mode, is skipped with the
// reason; a rule that fails or panics becomes a HUB903 finding.
func Run(rs []*Rule, in *Input, opts Options) *Result {
	res := &Result{}
	var all []Finding
	for _, r := range rs {
		if reason := skipReason(r, in); reason != "" {
			res.Skipped = append(res.Skipped, Skipped{RuleID: r.ID, Reason: reason})
			continue
		}
		res.Ran = append(res.Ran, r)
		p := &Pass{Input: in, Rule: r}
		if err := safeRun(r, p); err != nil {
			p.findings = append(p.findings, Finding{
				RuleID: RuleFailed.ID, RuleName: RuleFailed.Name, Severity: RuleFailed.Severity,
				Source: SourceMeta, URL: RuleFailed.URL(),
				Message:  fmt.Sprintf("rule %s (%s) failed: %v", r.ID, r.Name, err),
				Location: Location{Subject: "rule:" + r.ID},
			})
		}
		all = append(all, p.findings...)
	}
	// Severity overrides: exact IDs win over globs.
	for i := range all {
		if s, ok := opts.Severities[all[i].RuleID]; ok {
			all[i].Severity = s
			continue
		}
		for pat, s := range opts.Severities {
			if ok, _ := path.Match(pat, all[i].RuleID); ok {
				all[i].Severity = s
			}
		}
	}
	sups := make([]*Suppression, len(opts.Suppressions))
	for i := range opts.Suppressions {
		s := opts.Suppressions[i]
		sups[i] = &s
	}
	for _, f := range all {
		matched := false
		for _, s := range sups {
			if s.Reason != "" && s.matches(f) {
				s.used = true
				matched = true
				f.Suppressed, f.SuppressedAt = s.Reason, s.Origin
				res.Suppressed = append(res.Suppressed, f)
				break
			}
		}
		if !matched {
			res.Findings = append(res.Findings, f)
		}
	}
	// Suppressions without a reason are refused; unused ones are reported.
	for _, s := range sups {
		subject := "suppression:" + s.Origin
		file, line := splitOrigin(s.Origin)
		switch {
		case s.Reason == "":
			res.Findings = append(res.Findings, metaFinding(SuppressionProblem, Warning, subject, file, line,
				fmt.Sprintf("suppression of %s at %s has no reason and is ignored; write one after the rule list", strings.Join(s.Rules, ","), s.Origin)))
		case !s.used && ranAny(res.Ran, s.Rules):
			res.Findings = append(res.Findings, metaFinding(SuppressionProblem, Note, subject, file, line,
				fmt.Sprintf("suppression of %s at %s matched no finding; remove it", strings.Join(s.Rules, ","), s.Origin)))
		}
	}
	res.Findings = corroborate(dedupe(res.Findings))
	Sort(res.Findings)
	Sort(res.Suppressed)
	return res
}

// splitOrigin splits "file:line" where the suppression was written.
func splitOrigin(origin string) (string, int) {
	i := strings.LastIndex(origin, ":")
	if i < 0 {
		return origin, 0
	}
	n, err := strconv.Atoi(origin[i+1:])
	if err != nil {
		return origin, 0
	}
	return origin[:i], n
}

func ranAny(ran []*Rule, pats []string) bool {
	for _, r := range ran {
		if matchAny(pats, r.ID) {
			return true
		}
	}
	return false
}

func metaFinding(r *Rule, sev Severity, subject, file string, line int, msg string) Finding {
	return Finding{RuleID: r.ID, RuleName: r.Name, Severity: sev, Source: SourceMeta, URL: r.URL(),
		Message: msg, Location: Location{File: file, Line: line, Subject: subject}}
}

func skipReason(r *Rule, in *Input) string {
	if r.Phase == PhasePre && in.Mode != ModePre {
		return "runs in pre only"
	}
	if r.Phase == PhasePost && in.Mode != ModePost {
		return "runs in post only"
	}
	if r.NeedsTarget && in.Target == nil {
		return "needs --target"
	}
	if in.Deployment != nil {
		if why, ok := in.Deployment.NotApplicable[r.ID]; ok {
			return fmt.Sprintf("does not apply to a %s deployment: %s", in.Deployment.Kind, why)
		}
	}
	for _, s := range r.Needs {
		if !in.has(s) {
			st := in.States[s]
			switch {
			case st.Reason != "":
				return fmt.Sprintf("%s: %s", s, st.Reason)
			default:
				return fmt.Sprintf("%s: not provided", s)
			}
		}
	}
	return ""
}

func safeRun(r *Rule, p *Pass) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("panic: %v\n%s", v, firstFrames(debug.Stack()))
		}
	}()
	return r.Run(p)
}

func firstFrames(stack []byte) string {
	lines := strings.Split(string(stack), "\n")
	if len(lines) > 12 {
		lines = lines[:12]
	}
	return strings.Join(lines, "\n")
}

func dedupe(fs []Finding) []Finding {
	seen := map[string]bool{}
	out := fs[:0]
	for _, f := range fs {
		k := fmt.Sprintf("%s|%s|%d|%d", f.Fingerprint(), f.Location.File, f.Location.Line, f.Location.Column)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, f)
	}
	return out
}

// corroborate folds each log finding about a config option into the
// config finding with the same subject: one subject, one finding, with the
// log's warning as evidence (in its message too, so every format shows it)
// and the higher of the two severities.
func corroborate(fs []Finding) []Finding {
	at := map[string]int{}
	for i, f := range fs {
		if f.Source == SourceConfig && strings.HasPrefix(f.Location.Subject, "trait:") {
			if _, ok := at[f.Location.Subject]; !ok {
				at[f.Location.Subject] = i
			}
		}
	}
	merged := make([]bool, len(fs))
	for j, f := range fs {
		i, ok := at[f.Location.Subject]
		if !ok || f.Source != SourceLogs {
			continue
		}
		merged[j] = true
		c := &fs[i]
		c.Evidence = append(c.Evidence, Evidence{RuleID: f.RuleID, Severity: f.Severity, Message: f.Message, File: f.Location.File, Line: f.Location.Line, Aliases: f.Aliases})
		where := f.Location.File
		if f.Location.Line > 0 {
			where = fmt.Sprintf("%s:%d", where, f.Location.Line)
		}
		c.Message += fmt.Sprintf("; the hub's log shows it too (%s at %s)", f.RuleID, where)
		if f.Severity > c.Severity {
			c.Severity = f.Severity
		}
	}
	out := fs[:0]
	for j, f := range fs {
		if !merged[j] {
			out = append(out, f)
		}
	}
	return out
}

func sourceRank(s Source) int {
	for i, x := range Sources {
		if x == s {
			return i
		}
	}
	return len(Sources)
}

// Sort orders findings by source, file, line, column, rule ID and subject.
func Sort(fs []Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if x, y := sourceRank(a.Source), sourceRank(b.Source); x != y {
			return x < y
		}
		if a.Location.File != b.Location.File {
			return a.Location.File < b.Location.File
		}
		if a.Location.Line != b.Location.Line {
			return a.Location.Line < b.Location.Line
		}
		if a.Location.Column != b.Location.Column {
			return a.Location.Column < b.Location.Column
		}
		if a.RuleID != b.RuleID {
			return a.RuleID < b.RuleID
		}
		if a.Location.Subject != b.Location.Subject {
			return a.Location.Subject < b.Location.Subject
		}
		return a.Message < b.Message
	})
}

// Summary counts findings by severity.
type Summary struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Note    int `json:"note"`
}

// Summarize counts findings by severity.
func Summarize(fs []Finding) Summary {
	var s Summary
	for _, f := range fs {
		switch f.Severity {
		case Error:
			s.Error++
		case Warning:
			s.Warning++
		case Note:
			s.Note++
		}
	}
	return s
}

// AtOrAbove reports whether any finding has severity at or above min
// (never true for SeverityNone, i.e. --fail-on never).
func AtOrAbove(fs []Finding, min Severity) bool {
	if min == SeverityNone {
		return false
	}
	for _, f := range fs {
		if f.Severity >= min {
			return true
		}
	}
	return false
}
