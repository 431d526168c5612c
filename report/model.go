package report

import (
	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/checks/logs"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/rules"
)

// SchemaVersion is the version of the JSON report format. Version 2 added
// the verdict "incomplete", coverage, missing and the comparison's
// not_rechecked_findings.
const SchemaVersion = 2

// Tool identifies the program that wrote a report.
type Tool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

// Verdicts.
const (
	VerdictReady    = "ready"
	VerdictNotReady = "not_ready"
	VerdictVerified = "verified"
	VerdictFailed   = "failed"
	// VerdictIncomplete is given instead of ready or verified when an
	// input the claim rests on was not examined (Report.Missing says
	// which, and the flag that provides it).
	VerdictIncomplete = "incomplete"
)

// Report is one audit's result; its JSON form is the documented schema.
type Report struct {
	SchemaVersion  int             `json:"schema_version"`
	Tool           Tool            `json:"tool"`
	Mode           string          `json:"mode"`
	CurrentVersion *string         `json:"current_version"`
	CurrentFrom    string          `json:"current_version_from,omitempty"`
	TargetVersion  *string         `json:"target_version"`
	Verdict        string          `json:"verdict"`
	Summary        rules.Summary   `json:"summary"`
	Findings       []rules.Finding `json:"findings"`
	Skipped        []rules.Skipped `json:"skipped"`
	// Coverage says, per input, whether it was read and from where;
	// Missing lists the inputs the verdict needed and did not get.
	Coverage   []InputCoverage `json:"coverage"`
	Missing    []Missing       `json:"missing"`
	Plan       *Plan           `json:"plan,omitempty"`
	Comparison *Comparison     `json:"comparison,omitempty"`
	Facts      Facts           `json:"facts"`
	// Knowledge says how far hubaudit's knowledge of JupyterHub releases
	// goes, and which releases were learned from packages instead.
	Knowledge *Knowledge `json:"knowledge,omitempty"`

	// Rules are the rules that were considered (ran or skipped), for the
	// printers that describe rules (SARIF, JUnit).
	Rules []*rules.Rule `json:"-"`
	// Suppressed are the findings a suppression matched (with its
	// reason): SARIF shows them as suppressed results, JUnit as skipped.
	Suppressed []rules.Finding `json:"-"`
	// FailOn is the --fail-on threshold (JUnit failures, verdict).
	FailOn rules.Severity `json:"-"`
	// FailOnNew is --fail-on new: only errors that are new since the
	// baseline (and an incomplete verdict) fail.
	FailOnNew bool `json:"-"`
}

// Inputs of an audit, as InputCoverage.Input names them.
const (
	InputConfig   = "config"
	InputDB       = "db"
	InputHubEnv   = "hub_env"
	InputUserEnvs = "user_envs"
	InputLogs     = "logs"
	InputHubProbe = "hub_probe"
)

// Coverage statuses.
const (
	CoverageRead   = "read"
	CoverageAbsent = "absent"
	CoverageFailed = "failed"
)

// InputCoverage is one input of the audit and what became of it.
type InputCoverage struct {
	// Input is one of the Input* names.
	Input string `json:"input"`
	// Status is "read", "absent" (not given, not found) or "failed"
	// (given or found, but unreadable).
	Status string `json:"status"`
	// From lists where it was read: files, the database URL (password
	// redacted), environment paths, the hub URL.
	From []string `json:"from"`
	// Reason explains an absent or failed input, or a read one that
	// lacks what the verdict needs (a hub environment without jupyterhub).
	Reason string `json:"reason,omitempty"`
	// Flag is the flag that provides the input.
	Flag string `json:"flag"`
}

// Missing is something the verdict needed and did not get.
type Missing struct {
	// Input is an Input* name, or "target" in post.
	Input string `json:"input"`
	// Why says what was missing; Flag the flag that provides it.
	Why  string `json:"why"`
	Flag string `json:"flag"`
}

// Knowledge is the extent of the knowledge base a report was judged with.
type Knowledge struct {
	// Newest is the newest release the knowledge base's own tables know
	// (it may be a pre-release), NewestDate its date; Latest is the
	// newest final release.
	Newest     string `json:"newest"`
	NewestDate string `json:"newest_date,omitempty"`
	Latest     string `json:"latest"`
	// Learned are the releases judged by facts learned from a package.
	Learned []LearnedRelease `json:"learned"`
	// Notes are further words about the knowledge used (a newer hub
	// release that could not be learned).
	Notes []string `json:"notes"`
}

// LearnedRelease is a release whose facts were learned from a package.
type LearnedRelease struct {
	Version string `json:"version"`
	// From is what was read ("installed package /opt/hub").
	From string `json:"from"`
	// Why is "--target" or "hub environment".
	Why   string   `json:"why"`
	Notes []string `json:"notes"`
}

// Line returns the knowledge in one line of words.
func (k *Knowledge) Line() string {
	s := "JupyterHub releases up to " + k.Newest
	if k.NewestDate != "" {
		s += " (" + k.NewestDate + ")"
	}
	if k.Latest != k.Newest {
		s += ", latest final " + k.Latest
	}
	for _, l := range k.Learned {
		s += "; " + l.Version + " (" + l.Why + ") learned from " + l.From
		for _, n := range l.Notes {
			s += " [" + n + "]"
		}
	}
	for _, n := range k.Notes {
		s += "; " + n
	}
	return s
}

// Facts is what the collectors found, by source. Absent sources are null.
type Facts struct {
	Config *config.Facts `json:"config"`
	DB     *db.Facts     `json:"db"`
	Env    *env.Facts    `json:"env"`
	Logs   *logs.Facts   `json:"logs"`
	Hub    any           `json:"hub,omitempty"`
	// Deployment is how the hub is installed and run, and the shape of
	// its config.
	Deployment *deploy.Facts                      `json:"deployment,omitempty"`
	Sources    map[rules.Source]rules.SourceState `json:"sources"`
}

// Plan is the ordered upgrade plan of a pre run.
type Plan struct {
	From  string     `json:"from,omitempty"`
	To    string     `json:"to"`
	Steps []PlanStep `json:"steps"`
	// Migrations are the alembic revisions upgrade-db will run, in order.
	Migrations []PlanMigration `json:"migrations"`
	// Changes are the breaking changes crossed, oldest release first.
	Changes []PlanChange `json:"changes"`
}

// PlanStep is one step of the plan.
type PlanStep struct {
	N        int      `json:"n"`
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail,omitempty"`
	Commands []string `json:"commands"`
	// Findings are the rule IDs behind the step.
	Findings []string `json:"findings"`
}

// PlanMigration is one migration upgrade-db will run.
type PlanMigration struct {
	Revision string `json:"revision"`
	Title    string `json:"title"`
	Release  string `json:"first_release"`
	Summary  string `json:"summary,omitempty"`
	// Risk is set when the migration drops or rewrites data, or has a
	// SQLite caveat.
	Risk string `json:"risk,omitempty"`
}

// PlanChange is one breaking change crossed by the upgrade.
type PlanChange struct {
	Release string `json:"release"`
	Change  string `json:"change"`
}

// Comparison is what changed since a baseline snapshot (post --baseline).
type Comparison struct {
	Baseline   string        `json:"baseline"`
	Versions   []ValueChange `json:"versions"`
	Revision   *ValueChange  `json:"revision,omitempty"`
	Counts     []CountChange `json:"counts"`
	ConfigDiff string        `json:"config_diff,omitempty"`
	New        []string      `json:"new_findings"`
	// Resolved are baseline findings whose rule ran now and did not
	// report them; NotRechecked those whose rule did not run now.
	Resolved     []string `json:"resolved_findings"`
	Unchanged    []string `json:"unchanged_findings"`
	NotRechecked []string `json:"not_rechecked_findings"`
}

// ValueChange is an old and a new value of something named.
type ValueChange struct {
	Name string `json:"name"`
	Old  string `json:"old"`
	New  string `json:"new"`
}

// CountChange is an old and a new row count.
type CountChange struct {
	Name string `json:"name"`
	Old  int64  `json:"old"`
	New  int64  `json:"new"`
}

// Failing returns the findings that fail the run: those at or above the
// report's --fail-on, or with --fail-on new the errors that are new since
// the baseline.
func (r *Report) Failing() []rules.Finding {
	var out []rules.Finding
	if r.FailOn == rules.SeverityNone {
		return out
	}
	var isNew map[string]bool
	if r.FailOnNew {
		isNew = r.newFingerprints()
	}
	for _, f := range r.Findings {
		if f.Severity < r.FailOn || (isNew != nil && !isNew[f.Fingerprint()]) {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Fails reports whether the run should exit 1: a failing finding, or an
// incomplete verdict (unless --fail-on never).
func (r *Report) Fails() bool {
	if r.FailOn == rules.SeverityNone {
		return false
	}
	return r.Verdict == VerdictIncomplete || len(r.Failing()) > 0
}
