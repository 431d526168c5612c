package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/rules"
)

// Formats lists the output formats, the first being the terminal default.
var Formats = []string{"table", "json", "junit", "sarif", "markdown", "codeclimate"}

// Options change how a report is printed.
type Options struct {
	// Color enables ANSI colours (table only; set on a terminal).
	Color bool
	// Width is the number of columns the table may use (80 when 0).
	Width int
	// Dir is the deployment folder (--dir): the table shows the paths
	// under it short (relative to the working directory when inside it,
	// else to Dir), so that it does not depend on where it lives.
	Dir string
	// JUnitWarnings is how JUnit shows findings below --fail-on:
	// JUnitOutput (the default) or JUnitFailure.
	JUnitWarnings string
}

// Write prints r to w in the named format.
func Write(w io.Writer, r *Report, format string, opts Options) error {
	r.normalize()
	switch format {
	case "table", "":
		return writeTable(w, r, opts)
	case "json":
		return writeJSON(w, r)
	case "junit":
		return writeJUnit(w, r, opts)
	case "sarif":
		return writeSARIF(w, r)
	case "markdown", "md":
		return writeMarkdown(w, r)
	case "codeclimate":
		return writeCodeClimate(w, r)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// normalize makes empty lists render as [] and orders what printers show.
func (r *Report) normalize() {
	if r.Findings == nil {
		r.Findings = []rules.Finding{}
	}
	if r.Skipped == nil {
		r.Skipped = []rules.Skipped{}
	}
	sort.SliceStable(r.Skipped, func(i, j int) bool { return r.Skipped[i].RuleID < r.Skipped[j].RuleID })
	r.Summary = rules.Summarize(r.Findings)
	if r.Facts.Sources == nil {
		r.Facts.Sources = map[rules.Source]rules.SourceState{}
	}
	if r.Coverage == nil {
		r.Coverage = []InputCoverage{}
	}
	if r.Missing == nil {
		r.Missing = []Missing{}
	}
	if r.Comparison != nil {
		for _, l := range []*[]string{&r.Comparison.New, &r.Comparison.Resolved, &r.Comparison.Unchanged, &r.Comparison.NotRechecked} {
			if *l == nil {
				*l = []string{}
			}
		}
		if r.Comparison.Versions == nil {
			r.Comparison.Versions = []ValueChange{}
		}
		if r.Comparison.Counts == nil {
			r.Comparison.Counts = []CountChange{}
		}
	}
	if r.Plan != nil {
		if r.Plan.Migrations == nil {
			r.Plan.Migrations = []PlanMigration{}
		}
		if r.Plan.Changes == nil {
			r.Plan.Changes = []PlanChange{}
		}
		r.Plan.Steps = orEmpty(r.Plan.Steps)
		for i := range r.Plan.Steps {
			st := &r.Plan.Steps[i]
			st.Commands, st.Findings = orEmpty(st.Commands), orEmpty(st.Findings)
		}
	}
	if k := r.Knowledge; k != nil {
		k.Learned, k.Notes = orEmpty(k.Learned), orEmpty(k.Notes)
		for i := range k.Learned {
			k.Learned[i].Notes = orEmpty(k.Learned[i].Notes)
		}
	}
}

// orEmpty returns l, or an empty list for nil (JSON [] rather than null).
func orEmpty[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}

func writeJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// headline is the one-line verdict shared by the table and Markdown.
func headline(r *Report) string {
	target := ""
	if r.TargetVersion != nil {
		target = *r.TargetVersion
	}
	// "jupyterhub 4.1.6 to 5.5.1", or "to jupyterhub 5.5.1" when no input
	// told the running version.
	from, deployment := "to jupyterhub "+target, "this deployment"
	if r.CurrentVersion != nil {
		from = fmt.Sprintf("jupyterhub %s to %s", *r.CurrentVersion, target)
		deployment = fmt.Sprintf("this deployment (jupyterhub %s)", *r.CurrentVersion)
	}
	switch r.Verdict {
	case VerdictReady:
		return fmt.Sprintf("ready: %s can be upgraded to %s", deployment, target)
	case VerdictNotReady:
		return fmt.Sprintf("not ready: fix the %s before upgrading %s", plural(r.Summary.Error, "error"), from)
	case VerdictVerified:
		if r.Comparison != nil {
			return fmt.Sprintf("verified: jupyterhub %s is installed, the database is at its head and nothing was lost", target)
		}
		return fmt.Sprintf("verified: jupyterhub %s is installed and the database is at its head (no --baseline: losses were not checked)", target)
	case VerdictFailed:
		errs := r.DecidingErrors()
		var ids []string
		for _, f := range errs {
			if !slices.Contains(ids, f.RuleID) {
				ids = append(ids, f.RuleID)
			}
		}
		since := ""
		if r.Comparison != nil {
			since = " new since the baseline"
		}
		return fmt.Sprintf("failed: the upgrade is not complete or lost data (%s%s: %s)", plural(len(errs), "error"), since, strings.Join(ids, ", "))
	case VerdictIncomplete:
		claim := fmt.Sprintf("cannot tell whether %s can be upgraded to %s", deployment, target)
		if r.Mode == string(rules.ModePost) {
			claim = "cannot verify the upgrade"
		}
		return fmt.Sprintf("incomplete: %s; not examined: %s", claim, missingLine(r.Missing))
	}
	return r.Verdict
}

// DecidingErrors are the errors that decide the verdict: against a
// baseline the ones that are new since it (losses, what the upgrade
// broke), else all of them.
func (r *Report) DecidingErrors() []rules.Finding {
	isNew := r.newFingerprints()
	var out []rules.Finding
	for _, f := range r.Findings {
		if f.Severity >= rules.Error && (isNew == nil || isNew[f.Fingerprint()]) {
			out = append(out, f)
		}
	}
	return out
}

// newFingerprints is the set of findings new since the baseline (nil
// without a comparison).
func (r *Report) newFingerprints() map[string]bool {
	if r.Comparison == nil {
		return nil
	}
	isNew := map[string]bool{}
	for _, fp := range r.Comparison.New {
		isNew[fp] = true
	}
	return isNew
}

// missingLine names what the verdict lacks and the flags that provide it:
// "config (--config), db (--db)".
func missingLine(ms []Missing) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = fmt.Sprintf("%s (%s)", strings.ReplaceAll(m.Input, "_", " "), m.Flag)
	}
	return strings.Join(parts, ", ")
}

// findingsLine counts the findings of a comparison by what became of them.
func (c *Comparison) findingsLine() string {
	s := fmt.Sprintf("%d new, %d resolved, %d unchanged", len(c.New), len(c.Resolved), len(c.Unchanged))
	if len(c.NotRechecked) > 0 {
		s += fmt.Sprintf(", %d not re-checked (%s)", len(c.NotRechecked), strings.Join(c.NotRechecked, ", "))
	}
	return s
}

func summaryLine(r *Report) string {
	return fmt.Sprintf("%s, %s, %s; %s skipped",
		plural(r.Summary.Error, "error"), plural(r.Summary.Warning, "warning"), plural(r.Summary.Note, "note"),
		plural(len(r.Skipped), "check"))
}

func plural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// bySource groups findings by source in report order.
func bySource(fs []rules.Finding) ([]rules.Source, map[rules.Source][]rules.Finding) {
	groups := map[rules.Source][]rules.Finding{}
	for _, f := range fs {
		groups[f.Source] = append(groups[f.Source], f)
	}
	var order []rules.Source
	for _, s := range rules.Sources {
		if len(groups[s]) > 0 {
			order = append(order, s)
		}
	}
	return order, groups
}

var sourceTitle = map[rules.Source]string{
	rules.SourceConfig:  "Configuration",
	rules.SourceDB:      "Database",
	rules.SourceEnv:     "Environments",
	rules.SourceLogs:    "Logs",
	rules.SourceUpgrade: "Upgrade",
	rules.SourceMeta:    "hubaudit",
}
