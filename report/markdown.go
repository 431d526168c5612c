package report

import (
	"fmt"
	"io"
	"strings"
)

func mdEscape(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	s = strings.ReplaceAll(s, "\n", "<br>")
	return s
}

func writeMarkdown(w io.Writer, r *Report) error {
	mark := map[string]string{VerdictReady: "✅", VerdictVerified: "✅", VerdictNotReady: "❌", VerdictFailed: "❌", VerdictIncomplete: "⚠️"}[r.Verdict]
	fmt.Fprintf(w, "## hubaudit %s: %s %s\n\n", r.Mode, mark, strings.ReplaceAll(r.Verdict, "_", " "))
	fmt.Fprintf(w, "%s\n\n", headline(r))
	fmt.Fprintf(w, "| | |\n|---|---|\n")
	cur := "unknown"
	if r.CurrentVersion != nil {
		cur = *r.CurrentVersion
		if r.CurrentFrom != "" {
			cur += " (from " + r.CurrentFrom + ")"
		}
	}
	fmt.Fprintf(w, "| current jupyterhub | %s |\n", mdEscape(cur))
	if r.TargetVersion != nil {
		fmt.Fprintf(w, "| target | %s |\n", *r.TargetVersion)
	}
	fmt.Fprintf(w, "| findings | %s, %s, %s |\n", plural(r.Summary.Error, "error"), plural(r.Summary.Warning, "warning"), plural(r.Summary.Note, "note"))
	fmt.Fprintf(w, "| inputs | %s |\n", mdEscape(inputsLine(r)))
	if d := deploymentLine(r); d != "" {
		fmt.Fprintf(w, "| deployment | %s |\n", mdEscape(d))
	}
	if r.Knowledge != nil {
		fmt.Fprintf(w, "| knowledge | %s |\n", mdEscape(r.Knowledge.Line()))
	}
	fmt.Fprintln(w)

	order, groups := bySource(r.Findings)
	for _, s := range order {
		fmt.Fprintf(w, "### %s\n\n| severity | rule | where | message |\n|---|---|---|---|\n", sourceTitle[s])
		for _, f := range groups[s] {
			where := f.Position()
			if where == "" {
				where = f.Location.Subject
			}
			msg := f.Message
			if f.Fix != nil && f.Fix.Description != "" {
				msg += "\nfix: " + f.Fix.Description
			}
			fmt.Fprintf(w, "| %s | [%s](%s) | `%s` | %s |\n", f.Severity, f.RuleID, f.URL, strings.ReplaceAll(where, "`", "'"), mdEscape(msg))
		}
		fmt.Fprintln(w)
	}
	if r.Comparison != nil {
		c := r.Comparison
		fmt.Fprintf(w, "### Compared with baseline\n\n| what | before | after |\n|---|---|---|\n")
		for _, r := range c.rows() {
			lost := ""
			if r.lost {
				lost = " ❌ lost"
			}
			fmt.Fprintf(w, "| %s | %s | %s%s |\n", mdEscape(r.name), r.old, r.new, lost)
		}
		fmt.Fprintf(w, "\nFindings: %s.\n\n", c.findingsLine())
		if c.ConfigDiff != "" {
			fmt.Fprintf(w, "```diff\n%s\n```\n\n", strings.TrimRight(c.ConfigDiff, "\n"))
		}
	}
	if r.Plan != nil && len(r.Plan.Steps) > 0 {
		fmt.Fprintf(w, "### Upgrade plan %s → %s\n\n", orUnknown(r.Plan.From), r.Plan.To)
		for _, st := range r.Plan.Steps {
			fmt.Fprintf(w, "%d. **%s**", st.N, st.Title)
			switch details := strings.Split(st.Detail, "\n"); {
			case st.Detail == "":
			case len(details) == 1:
				fmt.Fprintf(w, " %s", st.Detail)
			default:
				for _, d := range details {
					fmt.Fprintf(w, "\n   - %s", d)
				}
			}
			fmt.Fprintln(w)
			if len(st.Commands) > 0 {
				fmt.Fprintf(w, "   ```sh\n")
				for _, c := range st.Commands {
					fmt.Fprintf(w, "   %s\n", c)
				}
				fmt.Fprintf(w, "   ```\n")
			}
		}
		if len(r.Plan.Migrations) > 0 {
			fmt.Fprintf(w, "\nMigrations `jupyterhub upgrade-db` will run:\n\n| revision | title | since | risk |\n|---|---|---|---|\n")
			for _, m := range r.Plan.Migrations {
				fmt.Fprintf(w, "| `%s` | %s | %s | %s |\n", m.Revision, mdEscape(m.Title), m.Release, mdEscape(m.Risk))
			}
		}
		if len(r.Plan.Changes) > 0 {
			fmt.Fprintf(w, "\nChanges crossed, oldest first:\n\n")
			for _, c := range r.Plan.Changes {
				fmt.Fprintf(w, "- **%s**: %s\n", c.Release, mdEscape(c.Change))
			}
		}
		fmt.Fprintln(w)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "<details><summary>%s skipped</summary>\n\n", plural(len(r.Skipped), "check"))
		for _, s := range r.Skipped {
			fmt.Fprintf(w, "- %s: %s\n", s.RuleID, mdEscape(s.Reason))
		}
		fmt.Fprintf(w, "\n</details>\n")
	}
	return nil
}
