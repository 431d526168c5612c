package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/hubaudit/hubaudit/audit"
	"github.com/hubaudit/hubaudit/docs"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules/all"
	"github.com/hubaudit/hubaudit/snapshot"
)

func snapshotWrite(w io.Writer, out *audit.Outcome) error { return snapshot.Write(w, out.Snapshot()) }

func (e *env) rulesCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use: "rules", Short: "List every rule with its ID, severity and title", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rs := all.Rules()
			switch format {
			case "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(rs)
			case "markdown", "md":
				_, err := io.WriteString(e.stdout, docs.RulesMarkdown(rs))
				return err
			case "table", "":
				var rows [][]string
				for _, r := range rs {
					rows = append(rows, []string{r.ID, r.Name, r.Severity.String(), fmt.Sprint(r.Phase), r.Title})
				}
				report.WriteTable(e.stdout, e.width(e.stdout), []string{"id", "name", "severity", "runs in", "title"}, rows)
				return nil
			}
			return usageErr("formats: table, json, markdown", "unknown --format %q", format)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output `FORMAT`: table, json, markdown")
	return c
}

func (e *env) explainCmd() *cobra.Command {
	return &cobra.Command{
		Use: "explain ID", Short: "Show one rule's documentation", Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, ok := all.ByID(strings.ToUpper(args[0]))
			if !ok {
				r, ok = all.ByID(args[0])
			}
			if !ok {
				return usageErr("run 'hubaudit rules' for the list", "no rule %q", args[0])
			}
			fmt.Fprintf(e.stdout, "%s %s (%s, %s; runs in %s)\n\n%s\n\n%s\n", r.ID, r.Name, r.Severity, r.Source, r.Phase, r.Title, strings.TrimSpace(r.Doc))
			return nil
		},
	}
}

func (e *env) versionsCmd() *cobra.Command {
	var format string
	c := &cobra.Command{
		Use: "versions", Short: "List known JupyterHub releases with date, alembic head and Python floor", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := kb.Load()
			if err != nil {
				return err
			}
			type row struct {
				Version        string `json:"version"`
				Date           string `json:"date"`
				AlembicHead    string `json:"alembic_head"`
				RequiresPython string `json:"requires_python"`
				Prerelease     bool   `json:"prerelease"`
			}
			var rows []row
			for _, r := range k.Releases() {
				rows = append(rows, row{r.Version.String(), r.Date.Format("2006-01-02"), r.AlembicHead, r.RequiresPython.String(), r.Prerelease})
			}
			switch format {
			case "json":
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				enc.SetEscapeHTML(false)
				return enc.Encode(rows)
			case "table", "":
				var cells [][]string
				for _, r := range rows {
					pre := ""
					if r.Prerelease {
						pre = "pre-release"
					}
					if r.Version == k.Latest().Version.String() {
						pre = "latest"
					}
					cells = append(cells, []string{r.Version, r.Date, r.AlembicHead, r.RequiresPython, pre})
				}
				report.WriteTable(e.stdout, e.width(e.stdout), []string{"version", "date", "alembic head", "python", ""}, cells)
				fmt.Fprintf(e.stdout, "%d releases\n", len(rows))
				return nil
			}
			return usageErr("formats: table, json", "unknown --format %q", format)
		},
	}
	c.Flags().StringVar(&format, "format", "table", "output `FORMAT`: table, json")
	return c
}

func (e *env) versionCmd() *cobra.Command {
	return &cobra.Command{
		Use: "version", Short: "Print hubaudit's version and its knowledge base", Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			k, err := kb.Load()
			if err != nil {
				return err
			}
			rs := k.Releases()
			n := k.Newest()
			fmt.Fprintf(e.stdout, "hubaudit %s\nknowledge base: %d JupyterHub releases, %s to %s (released %s; latest final %s), %d alembic revisions\n",
				version, len(rs), rs[0].Version, n.Version, n.Date.Format("2006-01-02"), k.Latest().Version, len(k.Migrations()))
			fmt.Fprintf(e.stdout, "newer releases: point --target at their package (a prefix, virtualenv, wheel or sdist) and hubaudit learns them from it\n")
			return nil
		},
	}
}
