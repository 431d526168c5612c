package rules

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/internal/lazyre"
)

// Severity is how much a finding matters.
type Severity int

// Severities, from least to most severe. SeverityNone is only used for
// "--fail-on never".
const (
	SeverityNone Severity = iota
	Note
	Warning
	Error
)

// String returns "note", "warning" or "error".
func (s Severity) String() string {
	switch s {
	case Note:
		return "note"
	case Warning:
		return "warning"
	case Error:
		return "error"
	}
	return "never"
}

// ParseSeverity parses "error", "warning", "note" or "never".
func ParseSeverity(s string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "error":
		return Error, nil
	case "warning", "warn":
		return Warning, nil
	case "note", "info":
		return Note, nil
	case "never", "none":
		return SeverityNone, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning, note or never)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	*s = v
	return err
}

// Source names where a rule's facts come from.
type Source string

// The sources of facts, in report order.
const (
	SourceConfig  Source = "config"
	SourceDB      Source = "db"
	SourceEnv     Source = "env"
	SourceLogs    Source = "logs"
	SourceUpgrade Source = "upgrade"
	SourceMeta    Source = "meta"
)

// Sources lists every source in report order.
var Sources = []Source{SourceConfig, SourceDB, SourceEnv, SourceLogs, SourceUpgrade, SourceMeta}

// Phase says in which command a rule runs.
type Phase int

// Phases: pre only, post only, or both.
const (
	PhaseBoth Phase = iota
	PhasePre
	PhasePost
)

// String returns "pre", "post" or "both".
func (p Phase) String() string {
	switch p {
	case PhasePre:
		return "pre"
	case PhasePost:
		return "post"
	}
	return "both"
}

// MarshalText implements encoding.TextMarshaler.
func (p Phase) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// Rule is one check. Rules are values, registered in rules/all, so that
// they can be listed, validated and documented without running them.
type Rule struct {
	// ID is stable and never reused: HUB1xx config, HUB2xx database,
	// HUB3xx environments, HUB4xx logs, HUB5xx across sources, HUB9xx
	// hubaudit itself.
	ID string
	// Name is a short kebab-case name ("unknown-option").
	Name string
	// Title is a one-line summary.
	Title string
	// Doc is the Markdown documentation shown by `hubaudit explain`.
	Doc string
	// Severity is the default severity of the rule's findings.
	Severity Severity
	// Source is where the rule's findings belong.
	Source Source
	// Needs lists the sources whose facts the rule reads; when one is
	// missing the rule is skipped with the reason.
	Needs []Source
	// NeedsTarget means the rule needs a target version (--target).
	NeedsTarget bool
	// Phase says whether the rule runs in pre, post or both.
	Phase Phase
	// Run inspects the Pass and reports findings.
	Run func(*Pass) error
}

// URL returns the rule's documentation address.
func (r *Rule) URL() string {
	return "https://github.com/hubaudit/hubaudit/blob/main/docs/rules.md#" + strings.ToLower(r.ID)
}

// MarshalJSON renders the rule's metadata (without Run).
func (r *Rule) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		ID       string   `json:"id"`
		Name     string   `json:"name"`
		Title    string   `json:"title"`
		Severity Severity `json:"severity"`
		Source   Source   `json:"source"`
		Needs    []Source `json:"needs"`
		Phase    Phase    `json:"phase"`
		Doc      string   `json:"doc"`
		URL      string   `json:"url"`
	}{r.ID, r.Name, r.Title, r.Severity, r.Source, r.needs(), r.Phase, r.Doc, r.URL()})
}

func (r *Rule) needs() []Source {
	if r.Needs == nil {
		return []Source{}
	}
	return r.Needs
}

var (
	idRE   = lazyre.New(`^HUB[1-59]\d\d$`)
	nameRE = lazyre.New(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)
)

// bandSource is the source each ID band belongs to.
var bandSource = map[byte]Source{'1': SourceConfig, '2': SourceDB, '3': SourceEnv, '4': SourceLogs, '5': SourceUpgrade, '9': SourceMeta}

// Validate checks a rule set: unique, well-formed IDs in the band of their
// source, unique names, a title, documentation, a severity and a Run func.
func Validate(rs []*Rule) error {
	ids := map[string]bool{}
	names := map[string]bool{}
	var errs []string
	for _, r := range rs {
		switch {
		case !idRE().MatchString(r.ID):
			errs = append(errs, fmt.Sprintf("%s: malformed ID", r.ID))
		case bandSource[r.ID[3]] != r.Source:
			errs = append(errs, fmt.Sprintf("%s: source %s is not the source of its ID band (%s)", r.ID, r.Source, bandSource[r.ID[3]]))
		}
		if ids[r.ID] {
			errs = append(errs, fmt.Sprintf("%s: duplicate ID", r.ID))
		}
		ids[r.ID] = true
		if !nameRE().MatchString(r.Name) {
			errs = append(errs, fmt.Sprintf("%s: name %q is not kebab-case", r.ID, r.Name))
		}
		if names[r.Name] {
			errs = append(errs, fmt.Sprintf("%s: duplicate name %q", r.ID, r.Name))
		}
		names[r.Name] = true
		if r.Title == "" || strings.Contains(r.Title, "\n") {
			errs = append(errs, fmt.Sprintf("%s: needs a one-line title", r.ID))
		}
		if len(strings.TrimSpace(r.Doc)) < 40 {
			errs = append(errs, fmt.Sprintf("%s: needs documentation", r.ID))
		}
		if r.Severity < Note || r.Severity > Error {
			errs = append(errs, fmt.Sprintf("%s: needs a default severity", r.ID))
		}
		if r.Run == nil {
			errs = append(errs, fmt.Sprintf("%s: no Run func", r.ID))
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("invalid rules:\n  %s", strings.Join(errs, "\n  "))
	}
	return nil
}
