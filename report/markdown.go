package report

import (
	"fmt"
	"io"
	"strings"
)

// mdEscape makes text from the inputs (a request path, an exception, a
// file name) literal in a GitHub pull-request comment: HTML's special
// characters become entities, every character that can start inline
// Markdown (emphasis, links, code, strikethrough, a table's cell border)
// is backslash-escaped, a line that could start a block (a heading, a
// list, a quote) is escaped at its start, URLs are kept from becoming
// links, and newlines become <br> (hubaudit's own markup).
func mdEscape(s string) string {
	lines := strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
	for i, l := range lines {
		var b strings.Builder
		for _, r := range l {
			switch r {
			case '&':
				b.WriteString("&amp;")
			case '<':
				b.WriteString("&lt;")
			case '>':
				b.WriteString("&gt;")
			case '\\', '`', '*', '_', '[', ']', '|', '~':
				b.WriteByte('\\')
				b.WriteRune(r)
			case '@':
				// an address would become a mailto link (GFM autolinks)
				b.WriteString("&#64;")
			case '\t':
				b.WriteByte(' ')
			default:
				b.WriteRune(r)
			}
		}
		l = b.String()
		// "http://" and "www." would become links (GFM autolinks): an
		// entity keeps them text. A line starting "- ", "+ ", "# ", "=" or
		// "1. " would start a list, a heading or an underline.
		l = strings.ReplaceAll(l, "://", "&#58;//")
		l = strings.ReplaceAll(l, "www.", "www&#46;")
		l = strings.ReplaceAll(l, "WWW.", "WWW&#46;")
		if t := strings.TrimLeft(l, " "); t != "" {
			indent := l[:len(l)-len(t)]
			if strings.ContainsRune("-+=#", rune(t[0])) {
				l = indent + "\\" + t
			} else if n := orderedMarker(t); n > 0 {
				l = indent + t[:n] + "\\" + t[n:]
			}
		}
		lines[i] = l
	}
	return strings.Join(lines, "<br>")
}

// orderedMarker returns the length of the number that starts s when s
// starts like an ordered list item ("12. " or "3)" alone), else 0.
func orderedMarker(s string) int {
	n := 0
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n == 0 || n >= len(s) || (s[n] != '.' && s[n] != ')') || (n+1 < len(s) && s[n+1] != ' ') {
		return 0
	}
	return n
}

// mdCode shows s as a code span in a table cell: a fence of more
// backticks than any run in s, the cell border | escaped (GFM reads it
// before code spans), newlines as spaces.
func mdCode(s string) string {
	s = strings.NewReplacer("\r", " ", "\n", " ", "|", `\|`).Replace(s)
	run, longest := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	fence := strings.Repeat("`", longest+1)
	if longest > 0 || strings.HasPrefix(s, " ") || strings.HasSuffix(s, " ") {
		return fence + " " + s + " " + fence
	}
	return fence + s + fence
}

// mdFence returns a code fence longer than any run of backticks or tildes
// in text, so that a config diff or a command cannot close it.
func mdFence(text string) string {
	longest := 0
	for _, l := range strings.Split(text, "\n") {
		t := strings.TrimLeft(l, " ")
		n := len(t) - len(strings.TrimLeft(t, "`"))
		longest = max(longest, n)
	}
	return strings.Repeat("`", max(3, longest+1))
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
		fmt.Fprintf(w, "| target | %s |\n", mdEscape(*r.TargetVersion))
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
			fmt.Fprintf(w, "| %s | [%s](%s) | %s | %s |\n", f.Severity, mdEscape(f.RuleID), mdURL(f.URL), mdCode(where), mdEscape(msg))
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
			fmt.Fprintf(w, "| %s | %s | %s%s |\n", mdEscape(r.name), mdEscape(r.old), mdEscape(r.new), lost)
		}
		fmt.Fprintf(w, "\nFindings: %s.\n\n", c.findingsLine())
		if c.ConfigDiff != "" {
			diff := strings.TrimRight(c.ConfigDiff, "\n")
			fence := mdFence(diff)
			fmt.Fprintf(w, "%sdiff\n%s\n%s\n\n", fence, diff, fence)
		}
	}
	if r.Plan != nil && len(r.Plan.Steps) > 0 {
		fmt.Fprintf(w, "### Upgrade plan %s → %s\n\n", mdEscape(orUnknown(r.Plan.From)), mdEscape(r.Plan.To))
		for _, st := range r.Plan.Steps {
			fmt.Fprintf(w, "%d. **%s**", st.N, mdEscape(st.Title))
			switch details := strings.Split(st.Detail, "\n"); {
			case st.Detail == "":
			case len(details) == 1:
				fmt.Fprintf(w, " %s", mdEscape(st.Detail))
			default:
				for _, d := range details {
					fmt.Fprintf(w, "\n   - %s", mdEscape(d))
				}
			}
			fmt.Fprintln(w)
			if len(st.Commands) > 0 {
				fence := mdFence(strings.Join(st.Commands, "\n"))
				fmt.Fprintf(w, "   %ssh\n", fence)
				for _, c := range st.Commands {
					fmt.Fprintf(w, "   %s\n", strings.ReplaceAll(c, "\n", "\n   "))
				}
				fmt.Fprintf(w, "   %s\n", fence)
			}
		}
		if len(r.Plan.Migrations) > 0 {
			fmt.Fprintf(w, "\nMigrations `jupyterhub upgrade-db` will run:\n\n| revision | title | since | risk |\n|---|---|---|---|\n")
			for _, m := range r.Plan.Migrations {
				fmt.Fprintf(w, "| %s | %s | %s | %s |\n", mdCode(m.Revision), mdEscape(m.Title), mdEscape(m.Release), mdEscape(m.Risk))
			}
		}
		if len(r.Plan.Changes) > 0 {
			fmt.Fprintf(w, "\nChanges crossed, oldest first:\n\n")
			for _, c := range r.Plan.Changes {
				fmt.Fprintf(w, "- **%s**: %s\n", mdEscape(c.Release), mdEscape(c.Change))
			}
		}
		fmt.Fprintln(w)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "<details><summary>%s skipped</summary>\n\n", plural(len(r.Skipped), "check"))
		for _, s := range r.Skipped {
			fmt.Fprintf(w, "- %s: %s\n", mdEscape(s.RuleID), mdEscape(s.Reason))
		}
		fmt.Fprintf(w, "\n</details>\n")
	}
	return nil
}

// mdURL keeps a link target from closing the link early: a rule's URL is
// hubaudit's own, but its parentheses and spaces are encoded all the same.
func mdURL(u string) string {
	return strings.NewReplacer("(", "%28", ")", "%29", " ", "%20", "<", "%3C", ">", "%3E").Replace(u)
}
