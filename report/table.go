package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/jedib0t/go-pretty/v6/text"

	"github.com/hubaudit/hubaudit/rules"
)

func writeTable(w io.Writer, r *Report, opts Options) error {
	r = displayPaths(r, opts.Dir)
	width := opts.Width
	if width <= 0 {
		width = DefaultWidth
	}
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
	fmt.Fprintln(w)
	printWrapped(w, width, "current jupyterhub: ", "  ", cur)
	printWrapped(w, width, "inputs: ", "  ", inputsLine(r))
	if d := deploymentLine(r); d != "" {
		printWrapped(w, width, "deployment: ", "  ", d)
	}
	if r.Knowledge != nil {
		printWrapped(w, width, "knowledge: ", "  ", r.Knowledge.Line())
	}
	fmt.Fprintln(w)

	order, groups := bySource(r.Findings)
	for _, s := range order {
		fmt.Fprintln(w, paint(text.Colors{text.Bold}, sourceTitle[s]))
		var rows [][]string
		for _, f := range groups[s] {
			where := f.Position()
			if where == "" {
				where = f.Location.Subject
			}
			msg := f.Message
			if f.Fix != nil && f.Fix.Description != "" {
				msg += "\nfix: " + f.Fix.Description
			}
			rows = append(rows, []string{paint(sevColor[f.Severity], f.Severity.String()), f.RuleID, where, msg})
		}
		header := []string{"severity", "rule", "where", "message"}
		if !TableFits(width, naturalWidths(header, rows), 50) {
			// Too narrow for both: the place goes above the message.
			header = []string{"severity", "rule", "where: message"}
			for i, row := range rows {
				rows[i] = []string{row[0], row[1], row[2] + "\n" + row[3]}
			}
		}
		WriteTable(w, width, header, rows)
		fmt.Fprintln(w)
	}
	if len(r.Findings) == 0 {
		fmt.Fprintln(w, "no findings")
		fmt.Fprintln(w)
	}
	if r.Comparison != nil {
		writeComparisonText(w, width, r.Comparison)
	}
	if r.Plan != nil && len(r.Plan.Steps) > 0 {
		fmt.Fprintln(w, paint(text.Colors{text.Bold}, fmt.Sprintf("Upgrade plan %s -> %s", orUnknown(r.Plan.From), r.Plan.To)))
		for _, st := range r.Plan.Steps {
			printWrapped(w, width, fmt.Sprintf("%2d. ", st.N), "    ", st.Title)
			if st.Detail != "" {
				for _, ln := range strings.Split(st.Detail, "\n") {
					printWrapped(w, width, "    ", "      ", ln)
				}
			}
			for _, c := range st.Commands {
				printCommand(w, width, "      ", c)
			}
			if st.ID == "upgrade-db" && len(r.Plan.Migrations) > 0 {
				fmt.Fprintln(w, "    migrations upgrade-db will run:")
				for _, m := range r.Plan.Migrations {
					line := fmt.Sprintf("%s %s (%s)", m.Revision, m.Title, m.Release)
					if m.Risk != "" {
						line += " - " + m.Risk
					}
					printWrapped(w, width, "      ", "        ", line)
				}
			}
		}
		if len(r.Plan.Changes) > 0 {
			fmt.Fprintln(w, "    changes crossed:")
			for _, c := range r.Plan.Changes {
				printWrapped(w, width, "      ", "        ", c.Release+": "+c.Change)
			}
		}
		fmt.Fprintln(w)
	}
	if len(r.Skipped) > 0 {
		printWrapped(w, width, "skipped: ", "  ", skippedLine(r.Skipped))
	}
	verdict := headline(r)
	color := text.Colors{text.FgGreen, text.Bold}
	switch r.Verdict {
	case VerdictNotReady, VerdictFailed:
		color = text.Colors{text.FgRed, text.Bold}
	case VerdictIncomplete:
		color = text.Colors{text.FgYellow, text.Bold}
	}
	printWrapped(w, width, "", "", summaryLine(r))
	for _, ln := range wrapLine(verdict, width) {
		fmt.Fprintln(w, paint(color, ln))
	}
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
		if s == rules.SourceEnv && st.Status == "ok" && len(r.Facts.Env.Users()) == 0 {
			p += " (hub environment only: user environments were not audited)"
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

func writeComparisonText(w io.Writer, width int, c *Comparison) {
	printWrapped(w, width, "Compared with baseline ", "  ", c.Baseline)
	for _, r := range c.rows() {
		mark := ""
		if r.lost {
			mark = "  (LOST)"
		}
		printWrapped(w, width, "  ", "    ", fmt.Sprintf("%s: %s -> %s%s", r.name, r.old, r.new, mark))
	}
	printWrapped(w, width, "  findings: ", "    ", c.findingsLine())
	if c.ConfigDiff != "" {
		fmt.Fprintln(w, "  config changes:")
		for _, ln := range strings.Split(strings.TrimRight(c.ConfigDiff, "\n"), "\n") {
			printWrapped(w, width, "    ", "      ", ln)
		}
	}
	fmt.Fprintln(w)
}
