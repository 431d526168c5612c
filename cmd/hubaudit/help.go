package main

import (
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// helpWidth is the width help text is wrapped to, whatever the terminal.
const helpWidth = 80

// usageTemplate is cobra's default usage template with the command
// summaries and the flags wrapped to helpWidth.
const usageTemplate = `Usage:{{if .Runnable}}
  {{.UseLine}}{{end}}{{if .HasAvailableSubCommands}}
  {{.CommandPath}} [command]{{end}}{{if gt (len .Aliases) 0}}

Aliases:
  {{.NameAndAliases}}{{end}}{{if .HasExample}}

Examples:
{{.Example}}{{end}}{{if .HasAvailableSubCommands}}

Available Commands:{{range .Commands}}{{if (or .IsAvailableCommand (eq .Name "help"))}}
  {{rpad .Name .NamePadding }} {{wrapHang .Short (add .NamePadding 3)}}{{end}}{{end}}{{end}}{{if .HasAvailableLocalFlags}}

Flags:
{{wrapFlags .LocalFlags}}{{end}}{{if .HasAvailableInheritedFlags}}

Global Flags:
{{wrapFlags .InheritedFlags}}{{end}}{{if .HasAvailableSubCommands}}

Use "{{.CommandPath}} [command] --help" for more information about a command.{{end}}
`

// helpTemplate is cobra's default with the long description wrapped.
const helpTemplate = `{{with (or .Long .Short)}}{{wrapText . | trimTrailingWhitespaces}}

{{end}}{{if or .Runnable .HasSubCommands}}{{.UsageString}}{{end}}`

func init() {
	cobra.AddTemplateFunc("wrapFlags", func(fs *pflag.FlagSet) string {
		return strings.TrimRight(fs.FlagUsagesWrapped(helpWidth), " \n")
	})
	cobra.AddTemplateFunc("wrapHang", func(s string, indent int) string {
		return strings.Join(wrapWords(s, helpWidth-indent), "\n"+strings.Repeat(" ", indent))
	})
	cobra.AddTemplateFunc("wrapText", wrapText)
	cobra.AddTemplateFunc("add", func(a, b int) int { return a + b })
}

// setHelp makes c's help and usage fit helpWidth columns.
func setHelp(c *cobra.Command) {
	c.SetUsageTemplate(usageTemplate)
	c.SetHelpTemplate(helpTemplate)
}

// wrapText wraps every line of s longer than helpWidth, continuing at the
// line's own indentation.
func wrapText(s string) string {
	lines := strings.Split(s, "\n")
	var out []string
	for _, l := range lines {
		if len(l) <= helpWidth {
			out = append(out, l)
			continue
		}
		indent := l[:len(l)-len(strings.TrimLeft(l, " "))]
		for _, w := range wrapWords(strings.TrimLeft(l, " "), helpWidth-len(indent)) {
			out = append(out, indent+w)
		}
	}
	return strings.Join(out, "\n")
}

// wrapWords breaks s at spaces into lines of at most width bytes (a
// longer word stays whole).
func wrapWords(s string, width int) []string {
	var lines []string
	cur := ""
	for _, w := range strings.Fields(s) {
		switch {
		case cur == "":
			cur = w
		case len(cur)+1+len(w) <= width:
			cur += " " + w
		default:
			lines = append(lines, cur)
			cur = w
		}
	}
	return append(lines, cur)
}
