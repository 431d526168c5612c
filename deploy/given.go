package deploy

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/internal/shell"
)

// Given are the inputs an audit was given on its command line, as they
// were typed (relative to the working directory the audit ran in), so
// that the hubaudit commands a plan prints audit the same deployment when
// they are run as printed in the same place: a `hubaudit pre --snapshot`
// without the --dir, --config and --db of the audit that printed it would
// snapshot another deployment, or none.
//
// Inputs that .hubaudit.yaml or the kind supplied are not repeated: the
// printed commands find them again from the same --dir.
type Given struct {
	// Dir is --dir ("" or "." when not given).
	Dir string
	// Kind is --kind ("" when detected).
	Kind string
	// Configs are the --config values.
	Configs []string
	// DB is --db. A URL with a password is never printed: the commands
	// read it from $HUBAUDIT_DB_URL instead (DBSecret).
	DB string
	// HubEnv and UserEnvs are --hub-env and the --user-env values.
	HubEnv   string
	UserEnvs []string
	// Logs are the --log values.
	Logs []string
	// ChartVersion is --chart-version (a chart release or a file of
	// helm list output).
	ChartVersion string
	// Checks is --checks.
	Checks string
}

// dbSecret reports whether --db holds a password (redacted differs).
func (g Given) dbSecret() bool {
	return g.DB != "" && db.Redact(g.DB) != g.DB
}

// args are the input flags for a command, shell-quoted, each with its
// leading space. post leaves out what post must not repeat: the logs
// (PostCommand names the log source itself) and a chart release number
// (after the helm upgrade the installed chart is the target's: chart,
// when known, replaces it).
func (g Given) args(post bool, chart string) string {
	var b strings.Builder
	add := func(flag, v string) {
		b.WriteString(" " + flag + " " + shell.Quote(v))
	}
	if g.Dir != "" && filepath.Clean(g.Dir) != "." {
		add("--dir", g.Dir)
	}
	if g.Kind != "" {
		add("--kind", g.Kind)
	}
	for _, c := range g.Configs {
		add("--config", c)
	}
	switch {
	case g.dbSecret():
		b.WriteString(` --db "$HUBAUDIT_DB_URL"`)
	case g.DB != "":
		add("--db", g.DB)
	}
	if g.HubEnv != "" {
		add("--hub-env", g.HubEnv)
	}
	for _, u := range g.UserEnvs {
		add("--user-env", u)
	}
	if !post {
		for _, l := range g.Logs {
			if l != "-" {
				add("--log", l)
			}
		}
	}
	if cv := g.ChartVersion; cv != "" {
		switch {
		case !post || isFile(cv):
			add("--chart-version", cv)
		case chart != "":
			add("--chart-version", chart)
		}
	}
	if g.Checks != "" {
		add("--checks", g.Checks)
	}
	return b.String()
}

// Args are the input flags of the audit, shell-quoted, each with its
// leading space: what a `hubaudit pre` printed by the plan repeats.
func (g Given) Args() string { return g.args(false, "") }

// note is what the printed commands need besides the flags: the password
// a --db URL held.
func (g Given) note() string {
	if g.dbSecret() {
		return "   # with HUBAUDIT_DB_URL set to the database URL (its password is not printed)"
	}
	return ""
}

// Exports are the inputs given as files exported from the running
// deployment (a package list, helm list output): after the upgrade they
// describe what ran before it, so post needs them exported again. Each
// is the flag and the path.
func (g Given) Exports() [][2]string {
	var out [][2]string
	if g.HubEnv != "" && isFile(g.HubEnv) {
		out = append(out, [2]string{"--hub-env", g.HubEnv})
	}
	for _, u := range g.UserEnvs {
		p := u
		if _, err := os.Lstat(u); err != nil {
			if _, path, ok := strings.Cut(u, "="); ok {
				p = path
			}
		}
		if isFile(p) {
			out = append(out, [2]string{"--user-env", p})
		}
	}
	if g.ChartVersion != "" && isFile(g.ChartVersion) {
		out = append(out, [2]string{"--chart-version", g.ChartVersion})
	}
	return out
}

// isFile reports whether p names a regular file.
func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.Mode().IsRegular()
}

// PreCommand is the `hubaudit pre --snapshot` the backup step prints:
// the audit that printed it, with its inputs, writing the baseline post
// compares with.
func PreCommand(target string, g Given) string {
	return "hubaudit pre --target " + shell.Quote(target) + g.Args() + " --snapshot hubaudit-pre.json   # the baseline post compares with" + strings.Replace(g.note(), "   #", ";", 1)
}
