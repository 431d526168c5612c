package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/report"
)

// completeAuditFlags offers the values of pre's and post's flags to shell
// completion (hubaudit completion bash|zsh|fish); file flags complete
// file names by default.
func completeAuditFlags(c *cobra.Command) {
	words := func(ws ...string) cobra.CompletionFunc {
		return cobra.FixedCompletions(ws, cobra.ShellCompDirectiveNoFileComp)
	}
	c.RegisterFlagCompletionFunc("format", words(report.Formats...))
	c.RegisterFlagCompletionFunc("fail-on", words("error", "warning", "note", "never", "new"))
	c.RegisterFlagCompletionFunc("target", completeVersions)
	c.RegisterFlagCompletionFunc("output", func(_ *cobra.Command, _ []string, typed string) ([]string, cobra.ShellCompDirective) {
		if strings.Contains(typed, "=") {
			return nil, cobra.ShellCompDirectiveDefault // a file name
		}
		var out []string
		for _, f := range report.Formats {
			out = append(out, f+"=")
		}
		return out, cobra.ShellCompDirectiveNoSpace | cobra.ShellCompDirectiveNoFileComp
	})
}

// completeVersions offers latest and the known JupyterHub releases.
func completeVersions(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
	k, err := kb.Load()
	if err != nil {
		return nil, cobra.ShellCompDirectiveError
	}
	return append([]string{"latest"}, k.VersionList()...), cobra.ShellCompDirectiveNoFileComp
}
