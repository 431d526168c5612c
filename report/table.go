package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/table"
	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/hubaudit/hubaudit/rules"
)

func writeTable(w io.Writer, r *Report, opts Options) error {
	paint := func(c text.Colors, s string) string {
		if !opts.Color {
			return s
		}
		return c.Sprint(s)
	}
	sevColor := map[rules.Severity]text.Colors{
		rules.Error: {text.FgRed, text.Bold}, rules.Warning: {text.FgYellow}, rules.Note: {text.FgCyan},
	}
	fmt.Fprintf(w, "hubaudit %s", r.Mode)
	if r.TargetVersion != nil {
		fmt.Fprintf(w, " --target %s", *r.TargetVersion)
	}
	cur := "unknown"
	if r.CurrentVersion != nil {
		cur = *r.CurrentVersion
		if r.CurrentFrom != "" {
			cur += " (from " + r.CurrentFrom + ")"
		}
	}
	fmt.Fprintf(w, "\ncurrent jupyterhub: %s\n", cur)
	fmt.Fprintf(w, "inputs: %s\n\n", inputsLine(r))

	order, groups := bySource(r.Findings)
	for _, s := range order {
		fmt.Fprintln(w, paint(text.Colors{text.Bold}, sourceTitle[s]))
		t := table.NewWriter()
		t.SetOutputMirror(w)
		t.SetStyle(table.StyleLight)
		t.Style().Options.SeparateRows = false
		t.AppendHeader(table.Row{"severity", "rule", "where", "message"})
		for _, f := range groups[s] {
			where := f.Position()
			if where == "" {
				where = f.Location.Subject
			}
			msg := f.Message
			if f.Fix != nil && f.Fix.Description != "" {
				msg += "\nfix: " + f.Fix.Description
			}
			t.AppendRow(table.Row{paint(sevColor[f.Severity], f.Severity.String()), f.RuleID, wrap(where, 40), wrap(msg, 90)})
		}
		t.Render()
		fmt.Fprintln(w)
	}
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "no findings")
		fmt.Fprintln(w)
	}
	if r.Comparison != nil {
		writeComparisonText(w, r.Comparison)
	}
	if r.Plan != nil && len(r.Plan.Steps) > 0 {
		fmt.Fprintln(w, paint(text.Colors{text.Bold}, fmt.Sprintf("Upgrade plan %s -> %s", orUnknown(r.Plan.From), r.Plan.To)))
		for _, st := range r.Plan.Steps {
			fmt.Fprintf(w, "%2d. %s\n", st.N, st.Title)
			if st.Detail != "" {
				for _, ln := range strings.Split(st.Detail, "\n") {
					fmt.Fprintf(w, "    %s\n", ln)
				}
			}
			for _, c := range st.Commands {
				fmt.Fprintf(w, "      $ %s\n", c)
			}
			if st.ID == "upgrade-db" && len(r.Plan.Migrations) > 0 {
				fmt.Fprintln(w, "    migrations upgrade-db will run:")
				for _, m := range r.Plan.Migrations {
					line := fmt.Sprintf("      %s %s (%s)", m.Revision, m.Title, m.Release)
					if m.Risk != "" {
						line += " - " + m.Risk
					}
					fmt.Fprintln(w, line)
				}
			}
		}
		if len(r.Plan.Changes) > 0 {
			fmt.Fprintln(w, "    changes crossed:")
			for _, c := range r.Plan.Changes {
				fmt.Fprintf(w, "      %s: %s\n", c.Release, c.Change)
			}
		}
		fmt.Fprintln(w)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "skipped: %s\n", skippedLine(r.Skipped))
	}
	verdict := headline(r)
	color := text.Colors{text.FgGreen, text.Bold}
	switch r.Verdict {
	case VerdictNotReady, VerdictFailed:
		color = text.Colors{text.FgRed, text.Bold}
	case VerdictIncomplete:
		color = text.Colors{text.FgYellow, text.Bold}
	}
	fmt.Fprintf(w, "%s\n%s\n", summaryLine(r), paint(color, verdict))
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// inputsLine says, per input, what was read and from where (or why not):
// "config jupyterhub_config.py; db absent (no database URL given ...)".
func inputsLine(r *Report) string {
	if len(r.Coverage) == 0 {
		return sourcesLine(r)
	}
	parts := make([]string, 0, len(r.Coverage))
	for _, c := range r.Coverage {
		p := strings.ReplaceAll(c.Input, "_", " ")
		if c.Status == CoverageRead {
			p += " " + strings.Join(c.From, ", ")
		} else {
			p += " " + c.Status
		}
		if c.Reason != "" {
			p += " (" + c.Reason + ")"
		}
		parts = append(parts, p)
	}
	return strings.Join(parts, "; ")
}

// sourcesLine is the inputs line of a report without coverage (a
// snapshot written before schema version 2).
func sourcesLine(r *Report) string {
	var parts []string
	for _, s := range []rules.Source{rules.SourceConfig, rules.SourceDB, rules.SourceEnv, rules.SourceLogs} {
		st, ok := r.Facts.Sources[s]
		if !ok {
			continue
		}
		p := fmt.Sprintf("%s %s", s, st.Status)
		if st.Status != "ok" && st.Reason != "" {
			p += " (" + st.Reason + ")"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, "; ")
}

// skippedLine groups skipped rules by reason: "HUB201, HUB202 (db: not provided)".
func skippedLine(sk []rules.Skipped) string {
	var reasons []string
	ids := map[string][]string{}
	for _, s := range sk {
		if _, ok := ids[s.Reason]; !ok {
			reasons = append(reasons, s.Reason)
		}
		ids[s.Reason] = append(ids[s.Reason], s.RuleID)
	}
	var parts []string
	for _, r := range reasons {
		parts = append(parts, fmt.Sprintf("%s (%s)", strings.Join(ids[r], ", "), r))
	}
	return strings.Join(parts, "; ")
}

// compRow is one line of a baseline comparison, shared by the printers.
type compRow struct {
	name, old, new string
	lost           bool
}

// rows lists the comparison's versions, revision and counts in order.
func (c *Comparison) rows() []compRow {
	var out []compRow
	for _, v := range c.Versions {
		out = append(out, compRow{v.Name, orUnknown(v.Old), orUnknown(v.New), false})
	}
	if c.Revision != nil {
		out = append(out, compRow{"db revision", orUnknown(c.Revision.Old), orUnknown(c.Revision.New), false})
	}
	for _, n := range c.Counts {
		out = append(out, compRow{n.Name, fmt.Sprint(n.Old), fmt.Sprint(n.New), n.New < n.Old})
	}
	return out
}

func writeComparisonText(w io.Writer, c *Comparison) {
	fmt.Fprintf(w, "Compared with baseline %s\n", c.Baseline)
	for _, r := range c.rows() {
		mark := ""
		if r.lost {
			mark = "  (LOST)"
		}
		fmt.Fprintf(w, "  %s: %s -> %s%s\n", r.name, r.old, r.new, mark)
	}
	fmt.Fprintf(w, "  findings: %s\n", c.findingsLine())
	if c.ConfigDiff != "" {
		fmt.Fprintln(w, "  config changes:")
		for _, ln := range strings.Split(strings.TrimRight(c.ConfigDiff, "\n"), "\n") {
			fmt.Fprintf(w, "    %s\n", ln)
		}
	}
	fmt.Fprintln(w)
}

// wrap soft-wraps each line of s at width, keeping its line breaks.
func wrap(s string, width int) string {
	lines := strings.Split(s, "\n")
	for i, ln := range lines {
		lines[i] = text.WrapSoft(ln, width)
	}
	return strings.Join(lines, "\n")
}
