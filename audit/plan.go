package audit

import (
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/report"
	"github.com/hubaudit/hubaudit/rules"
	"github.com/hubaudit/hubaudit/rules/configrules"
	"github.com/hubaudit/hubaudit/rules/planrules"
)

// companionPackages are packages that move with jupyterhub: when one is in
// an environment it is upgraded together with jupyterhub.
func companionPackages(k *kb.KB) []string {
	return append(k.Companions(), "jupyterhub-idle-culler", "jupyterhub-traefik-proxy", "jupyterhub-ltiauthenticator", "jupyterhub-firstuseauthenticator", "jupyterhub-tmpauthenticator")
}

// BuildPlan derives the ordered upgrade plan of a pre run from the facts
// and the findings.
func BuildPlan(in *rules.Input, findings []rules.Finding, col collected) *report.Plan {
	t := in.Target
	plan := &report.Plan{To: t.Version.String()}
	if !in.Current.IsZero() {
		plan.From = in.Current.String()
	}
	bySource := map[rules.Source][]string{}
	for _, f := range findings {
		if f.Severity >= rules.Warning {
			bySource[f.Source] = appendUnique(bySource[f.Source], f.RuleID)
		}
	}
	kp := newKindPlan(in, t.Version.String(), col.given)
	add := func(id deploy.StepID, title, detail string, cmds []string, fs []string) {
		for _, x := range kp.extraBefore(id) {
			plan.Steps = append(plan.Steps, report.PlanStep{N: len(plan.Steps) + 1, ID: string(x.id), Title: x.r.Title, Detail: x.r.Detail, Commands: x.r.Commands})
		}
		title, detail, cmds, keep := kp.override(id, title, detail, cmds)
		if !keep {
			return
		}
		plan.Steps = append(plan.Steps, report.PlanStep{N: len(plan.Steps) + 1, ID: string(id), Title: title, Detail: detail, Commands: cmds, Findings: fs})
	}

	// 1. Tell users.
	running := int64(-1)
	if in.DB != nil {
		if n, ok := in.DB.Counts["servers_running"]; ok {
			running = n
		}
	}
	external := in.Config != nil && in.Config.Proxy.External
	notice := "restarting the hub interrupts logins and the API for a few minutes"
	switch {
	case running < 0:
		notice += "; the number of running servers is unknown (no database)"
	case running == 0:
		notice += "; no user server is running now (the database records none)"
	case external:
		notice += fmt.Sprintf("; the proxy runs outside the hub, so the %d running server(s) stay reachable", running)
	case in.Config != nil && in.Config.CleanupServers != nil && !*in.Config.CleanupServers:
		notice += fmt.Sprintf("; the hub manages the proxy, so users of the %d running server(s) lose their connection while it restarts; the servers keep running (cleanup_servers = False)", running)
	default:
		notice += fmt.Sprintf("; the hub manages the proxy and stops the %d running server(s) when it stops (set c.JupyterHub.cleanup_servers = False to keep them running)", running)
	}
	add(deploy.StepNotify, "Tell users about the maintenance window", notice, nil, nil)

	// 2. Back up.
	add(deploy.StepBackup, "Back up the database and the config, and keep this audit as the baseline", backupDetail(in),
		append(backupCommands(in, col), kp.params.Pre),
		bySource[rules.SourceDB])

	// 3. Stop.
	add(deploy.StepStop, "Stop the hub", "", []string{"systemctl stop jupyterhub   # or however the hub is run"}, nil)

	// 4. Packages.
	var cmds []string
	var envDetail []string
	if in.Env != nil {
		for _, e := range in.Env.Environments {
			pkgs := envPackages(in.KB, e, t.Version.String())
			var moving []string
			for _, p := range pkgs[1:] {
				moving = append(moving, p)
			}
			name := e.Role
			if e.Name != "" {
				name += " " + e.Name
			}
			cur := e.Packages["jupyterhub"]
			if cur == "" {
				cur = "missing"
				if _, ok := e.Packages["jupyterhub"]; ok {
					cur = "unpinned"
				}
			}
			where := e.Path
			if e.UserEnv != "" {
				where += " (also the user environment)"
			}
			line := fmt.Sprintf("%s environment %s: jupyterhub %s -> %s", name, where, cur, t.Version)
			if len(moving) > 0 {
				line += "; upgrade with it: " + strings.Join(moving, ", ")
			}
			envDetail = append(envDetail, line)
			if c, ok := kp.install(e); ok {
				cmds = append(cmds, c...)
				continue
			}
			cmds = append(cmds, installCommand(e.Kind, e.Path, pkgs))
		}
	}
	if in.Env.Hub() == nil {
		// No hub environment was read: the kind may still know how its
		// hub is installed (an installer, an image rebuild).
		if c, ok := kp.install(env.Environment{Role: env.RoleHub}); ok {
			cmds = append(c, cmds...)
		}
	}
	// The single-user images the config names are user environments too.
	imageIDs := bySource[rules.SourceEnv]
	for _, f := range findings {
		if f.RuleID != configrules.SingleuserImage.ID || f.Suppressed != "" || f.Fix == nil {
			continue
		}
		envDetail = append(envDetail, fmt.Sprintf("single-user image %s (%s:%d): %s",
			strings.TrimPrefix(f.Location.Subject, "image:"), filepath.Base(f.Location.File), f.Location.Line, f.Fix.Description))
		imageIDs = appendUnique(imageIDs, f.RuleID)
	}
	if (in.Env == nil || len(in.Env.Environments) == 0) && !kp.installsElsewhere() {
		cmds = []string{fmt.Sprintf("python3 -m pip install --upgrade 'jupyterhub==%s'   # in the hub environment and in every user environment", t.Version)}
		envDetail = append(envDetail, "no environment was given (--hub-env, --user-env): install the same version in the hub environment and in every user environment")
	}
	add(deploy.StepPackages, fmt.Sprintf("Install jupyterhub %s in the hub and in every user environment (versions must match)", t.Version),
		strings.Join(envDetail, "\n"), cmds, imageIDs)

	// 5. Config.
	if ids := bySource[rules.SourceConfig]; len(ids) > 0 {
		add(deploy.StepConfig, "Change the config before starting the new version",
			"the config findings above list each option to change; the renames are mechanical",
			fixConfigCommands(in, findings, t.Version.String()), ids)
	}

	// 6. upgrade-db.
	upgradeDB := "jupyterhub upgrade-db -f " + kp.params.ConfigFile
	if in.DB != nil && in.DB.Revision != "" && in.DB.Revision != t.AlembicHead {
		path, down, err := in.KB.MigrationPath(in.DB.Revision, t.AlembicHead)
		if err == nil && !down {
			for _, m := range path {
				pm := report.PlanMigration{Revision: m.Revision, Title: m.Title, Release: m.FirstRelease, Summary: m.Summary}
				pm.Risk = migrationRisk(m, in.DB.Dialect)
				plan.Migrations = append(plan.Migrations, pm)
			}
			detail := fmt.Sprintf("the schema moves from %s to %s (%d migrations, listed below)", in.DB.Revision, t.AlembicHead, len(path))
			if in.DB.Dialect == "sqlite" {
				detail += "; on SQLite upgrade-db copies the file first and a failed migration cannot be rolled back: keep the backup"
			}
			add(deploy.StepUpgradeDB, "Upgrade the database schema", detail, []string{upgradeDB}, nil)
		}
	} else if in.DB == nil {
		add(deploy.StepUpgradeDB, "Upgrade the database schema if its revision changes",
			fmt.Sprintf("the database was not audited; jupyterhub %s needs schema head %s, and upgrade-db does nothing when it is already there", t.Version, t.AlembicHead),
			[]string{upgradeDB}, nil)
	}

	// 7. Start and verify.
	add(deploy.StepStart, "Start the hub and verify", "then compare with this audit: hubaudit post uses the snapshot to check that nothing was lost",
		[]string{"systemctl start jupyterhub", kp.params.Post}, bySource[rules.SourceLogs])
	// The exported inputs describe the deployment before the upgrade:
	// post reads them again, exported from the upgraded one.
	if refresh := in.Deployment.RefreshCommands(col.given); len(refresh) > 0 && len(plan.Steps) > 0 {
		st := &plan.Steps[len(plan.Steps)-1]
		for i, c := range st.Commands {
			if c == kp.params.Post {
				st.Commands = append(append(append([]string{}, st.Commands[:i]...), refresh...), st.Commands[i:]...)
				break
			}
		}
	}

	if !in.Current.IsZero() {
		for _, c := range planrules.Changes(in.KB, in.Current, t) {
			plan.Changes = append(plan.Changes, report.PlanChange{Release: c.Release, Change: c.Text})
		}
	}
	return plan
}

func appendUnique(xs []string, s string) []string {
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	xs = append(xs, s)
	sort.Strings(xs)
	return xs
}

// migrationRisk summarizes a migration's data risk and dialect caveats from
// the knowledge base.
func migrationRisk(m *kb.Migration, dialect string) string {
	var risks []string
	switch {
	case m.RevokesTokens:
		risks = append(risks, "drops data: tables "+strings.Join(m.DropsTables, ", ")+" (every API and OAuth token is revoked)")
	case len(m.DropsTables) > 0:
		risks = append(risks, "drops tables "+strings.Join(m.DropsTables, ", ")+" after moving what they hold")
	}
	if dialect == "sqlite" && m.BatchAlter {
		risks = append(risks, "sqlite: "+m.SQLiteNotes)
	}
	return strings.Join(risks, "; ")
}

func backupDetail(in *rules.Input) string {
	if in.DB == nil {
		return "the database was not audited: back it up the way its dialect requires before upgrade-db"
	}
	if in.DB.Dialect == "sqlite" {
		return "hubaudit backup makes a consistent copy even while the hub runs, and verifies it"
	}
	return "dump the database with its own tool; the password is read from the environment, never typed on the command line"
}

func backupCommands(in *rules.Input, col collected) []string {
	// hubaudit backup copies jupyterhub_config.py and the SQLite file of
	// --dir by default; a deployment whose config is more than that, or
	// whose database is elsewhere (TLJH's state/, a compose volume), names
	// them.
	args := ""
	if u := col.dbOpts.URL; strings.HasPrefix(u, "sqlite:///") && u != "sqlite:///jupyterhub.sqlite" && (in.DB == nil || in.DB.Dialect == "sqlite") {
		args += " --db " + shell.Quote(u)
	}
	cfgs := ""
	if in.Config != nil && len(in.Config.Files) > 0 {
		cfgs = " # also copies " + strings.Join(baseNames(in.Config.Files), ", ")
		dir := col.dbOpts.Dir
		if dir == "" {
			dir = "."
		}
		if len(in.Config.Files) != 1 || filepath.Clean(in.Config.Files[0]) != filepath.Join(dir, "jupyterhub_config.py") {
			for _, f := range in.Config.Files {
				args += " --config " + shell.Quote(f)
			}
			cfgs = ""
		}
	}
	if in.DB == nil {
		return []string{"hubaudit backup" + args + " --to ./hubaudit-backup" + cfgs}
	}
	switch in.DB.Dialect {
	case "sqlite":
		return []string{"hubaudit backup" + args + " --to ./hubaudit-backup" + cfgs}
	default:
		if c := dumpCommand(col.dbOpts.URL); c != "" {
			return []string{c}
		}
	}
	return nil
}

func baseNames(ps []string) []string {
	var out []string
	for _, p := range ps {
		out = append(out, filepath.Base(p))
	}
	return out
}

// installCommand is the command that installs pkgs into an environment of
// the given kind.
func installCommand(kind, path string, pkgs []string) string {
	switch {
	case strings.HasPrefix(kind, "conda"):
		conda := make([]string, len(pkgs))
		for i, p := range pkgs {
			conda[i] = strings.Replace(p, "==", "=", 1)
		}
		return "conda install -c conda-forge " + strings.Join(conda, " ") + "   # in " + path
	case kind == "prefix":
		return filepath.Join(path, "bin", "python3") + " -m pip install --upgrade " + strings.Join(pkgs, " ")
	}
	return "python3 -m pip install --upgrade " + strings.Join(pkgs, " ") + "   # in the environment exported as " + path
}

// fixConfigCommands are fix-config's review and apply commands for each
// Python config file the config findings are in (the first Python config
// file when none is), named by --config so that they read the file the
// audit read from where it ran. TLJH's own jupyterhub_config.py (in the
// tljh package, which its installer replaces) is not one to edit.
func fixConfigCommands(in *rules.Input, findings []rules.Finding, target string) []string {
	var files []string
	if in.Config != nil {
		has := map[string]bool{}
		for _, f := range findings {
			if f.Source == rules.SourceConfig && f.Severity >= rules.Warning {
				has[filepath.Clean(f.Location.File)] = true
			}
		}
		var first string
		for _, c := range in.Config.Files {
			if !strings.HasSuffix(c, ".py") || strings.Contains(filepath.ToSlash(c), "/site-packages/tljh/") {
				continue
			}
			if first == "" {
				first = c
			}
			if has[filepath.Clean(c)] {
				files = append(files, c)
			}
		}
		if len(files) == 0 && first != "" {
			files = []string{first}
		}
	}
	if len(files) == 0 {
		files = []string{"jupyterhub_config.py"}
	}
	var out []string
	for _, f := range files {
		arg := ""
		if filepath.Clean(f) != "jupyterhub_config.py" {
			arg = " --config " + shell.Quote(f)
		}
		out = append(out,
			fmt.Sprintf("hubaudit fix-config --target %s%s          # review the diff", target, arg),
			fmt.Sprintf("hubaudit fix-config --target %s%s --write  # apply it (keeps a backup)", target, arg))
	}
	return out
}
