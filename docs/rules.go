package docs

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/rules"
)

// RulesMarkdown renders the reference of every rule as Markdown.
func RulesMarkdown(rs []*rules.Rule) string {
	var b strings.Builder
	b.WriteString("# hubaudit rules\n\n")
	b.WriteString("Generated from the rule registry by `go generate ./docs`; do not edit by hand.\n")
	b.WriteString("IDs are stable and never reused: HUB1xx config, HUB2xx database, HUB3xx environments, HUB4xx logs, HUB5xx across sources, HUB9xx hubaudit itself.\n\n")
	b.WriteString("| ID | name | severity | runs in | title |\n|---|---|---|---|---|\n")
	for _, r := range rs {
		fmt.Fprintf(&b, "| [%s](#%s) | %s | %s | %s | %s |\n", r.ID, strings.ToLower(r.ID), r.Name, r.Severity, r.Phase, strings.ReplaceAll(r.Title, "|", `\|`))
	}
	for _, r := range rs {
		fmt.Fprintf(&b, "\n## %s\n\n**%s** · %s · source %s · runs in %s\n\n%s\n\n%s\n", r.ID, r.Name, r.Severity, r.Source, r.Phase, r.Title, strings.TrimSpace(r.Doc))
	}
	return b.String()
}
