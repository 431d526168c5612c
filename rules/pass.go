package rules

import (
	"fmt"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
)

// Mode is the command being run.
type Mode string

// The two audit modes.
const (
	ModePre  Mode = "pre"
	ModePost Mode = "post"
)

// SourceState says whether a source's facts are available.
type SourceState struct {
	// Status is "ok", "absent" (not provided) or "failed".
	Status string `json:"status"`
	// Reason explains absent and failed states.
	Reason string `json:"reason,omitempty"`
}

// Input is everything the collectors produced, shared by every Pass.
type Input struct {
	Mode Mode
	KB   *kb.KB
	// Target is the release being upgraded to (nil when not given).
	Target *kb.Release
	// Current is the version found running now (zero when unknown),
	// CurrentFrom says which source it came from ("env", "db", "logs").
	Current     pep440.Version
	CurrentFrom string
	Config      *config.Facts
	DB          *db.Facts
	Env         *env.Facts
	Logs        *logs.Facts
	// Deployment is how the hub is installed and run (nil when not
	// described); its NotApplicable rules are skipped with the reason.
	Deployment *deploy.Facts
	// Extra holds facts that cross-source rules share (the baseline
	// snapshot, the hub probe), keyed by name.
	Extra map[string]any
	// States says, per source, whether its facts are available.
	States map[Source]SourceState
}

// Pass is what a rule's Run receives: the facts and a way to report.
type Pass struct {
	*Input
	Rule     *Rule
	findings []Finding
}

// Report records a finding. Empty fields are filled from the rule: ID,
// name, severity (the rule's default), source and URL.
func (p *Pass) Report(f Finding) {
	f.RuleID = p.Rule.ID
	f.RuleName = p.Rule.Name
	if f.Severity == SeverityNone {
		f.Severity = p.Rule.Severity
	}
	if f.Source == "" {
		f.Source = p.Rule.Source
	}
	if f.URL == "" {
		f.URL = p.Rule.URL()
	}
	p.findings = append(p.findings, f)
}

// Reportf records a finding at loc with the rule's default severity.
func (p *Pass) Reportf(loc Location, format string, args ...any) {
	p.Report(Finding{Location: loc, Message: fmt.Sprintf(format, args...)})
}

// CurrentRelease returns the knowledge base's release for the detected
// current version (the newest known release not after it).
func (p *Pass) CurrentRelease() (*kb.Release, bool) {
	if p.Current.IsZero() {
		return nil, false
	}
	return p.KB.ReleaseFor(p.Current)
}

// FailsInPost is the severity of a finding that, in post, fails the
// verification (the upgraded deployment still shows it): Error in post,
// the rule's default (SeverityNone) in pre.
func (p *Pass) FailsInPost() Severity {
	if p.Mode == ModePost {
		return Error
	}
	return SeverityNone
}

// Has reports whether source s has facts.
func (p *Pass) Has(s Source) bool { return p.Input.has(s) }

func (in *Input) has(s Source) bool {
	switch s {
	case SourceConfig:
		return in.Config != nil
	case SourceDB:
		return in.DB != nil
	case SourceEnv:
		return in.Env != nil
	case SourceLogs:
		return in.Logs != nil
	}
	return true
}
