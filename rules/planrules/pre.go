package planrules

import (
	"fmt"
	"strings"

	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

// VersionSourcesDisagree compares the version each source implies.
var VersionSourcesDisagree = &rules.Rule{
	ID: "HUB501", Name: "version-sources-disagree", Severity: rules.Error, Source: rules.SourceUpgrade,
	Title: "the hub environment, the database and the logs disagree about the running version",
	Doc: `The current JupyterHub version is read from three places: the jupyterhub package in the hub
environment, the alembic revision stamped in the database (which names the releases that share
that schema head), and the "Running JupyterHub version" line in the logs. When they disagree,
something was half done: typically the package was upgraded but ` + "`jupyterhub upgrade-db`" + ` was never
run (the environment says 4.1.6, the database is still at a 3.x revision), so the hub refuses to
start with "Found database schema version X != Y".

Fix: find out which is true. If the package is newer than the schema, back up the database and
run ` + "`jupyterhub upgrade-db`" + ` with the installed version. If the schema is newer (a downgraded
package), reinstall the version the database was upgraded to: alembic downgrades are lossy and
do not work on SQLite.`,
	Run: func(p *rules.Pass) error {
		envV, envFrom := hubEnvVersion(p)
		if envV.IsZero() {
			return nil
		}
		rel, ok := p.KB.ReleaseFor(envV)
		if !ok {
			return nil
		}
		if p.DB != nil && p.DB.Revision != "" {
			if _, known := p.KB.Migration(p.DB.Revision); known && p.DB.Revision != rel.AlembicHead {
				dbRels := describe(p.KB.ReleasesWithHead(p.DB.Revision))
				m := &rules.Fix{Description: "back up the database, then run jupyterhub upgrade-db with the installed jupyterhub " + envV.String()}
				if _, down, err := p.KB.MigrationPath(p.DB.Revision, rel.AlembicHead); err == nil && down {
					m = &rules.Fix{Description: fmt.Sprintf("the database was upgraded by a newer jupyterhub (%s); reinstall that version rather than downgrading the schema", dbRels)}
				}
				p.Report(rules.Finding{
					Message: fmt.Sprintf("%s has jupyterhub %s (schema head %s) but the database is at revision %s (%s): upgrade-db was not run for the installed version",
						envFrom, envV, rel.AlembicHead, p.DB.Revision, dbRels),
					Location: rules.Location{Subject: "version:env-vs-db"},
					Fix:      m,
				})
			}
		}
		if p.Logs != nil && p.Logs.HubVersion != "" {
			lv, err := pep440.Parse(p.Logs.HubVersion)
			if err == nil && !lv.Equal(envV) {
				p.Report(rules.Finding{
					Severity: rules.Warning,
					Message:  fmt.Sprintf("the logs show jupyterhub %s running but %s has %s: the hub was not restarted after the package changed, or the logs are old", lv, envFrom, envV),
					Location: rules.Location{Subject: "version:env-vs-logs"},
				})
			}
		}
		return nil
	},
}

// CurrentUnknown notes that nothing told the current version.
var CurrentUnknown = &rules.Rule{
	ID: "HUB502", Name: "current-version-unknown", Severity: rules.Note, Source: rules.SourceUpgrade,
	Phase: rules.PhasePre,
	Title: "the current JupyterHub version could not be determined",
	Doc: `hubaudit reads the current version from the hub environment (--hub-env, or the jupyterhub
command on PATH), else from the database's alembic revision, else from the logs. When none of them
is available, the checks that depend on the version you upgrade from (schema path, breaking changes
crossed, companion packages) are less precise.

Fix: pass --hub-env (a venv/conda prefix or a ` + "`pip freeze`" + ` export of the hub's environment), or
--db, or --log with a hub log that contains "Running JupyterHub version". Where the hub runs
elsewhere, the finding gives the command that exports its packages: for docker compose
` + "`docker compose -f FILE exec SERVICE pip freeze > hub-freeze.txt`" + ` with the hub's service from the compose
file (its Dockerfile does not say the version when it takes a moving tag), for Zero to JupyterHub
` + "`kubectl -n NAMESPACE exec deploy/hub -c hub -- pip freeze > hub-freeze.txt`" + `.`,
	Run: func(p *rules.Pass) error {
		if !p.Current.IsZero() {
			return nil
		}
		// Say what was looked at, so the admin knows which input to add.
		var why []string
		switch hub := p.Env.Hub(); {
		case p.Env == nil || hub == nil:
			why = append(why, "no hub environment was read")
		case !hub.Readable():
			why = append(why, "the hub environment "+hub.Path+" could not be read")
		case hub.Kind == deploy.KindImage:
			why = append(why, "the hub image's Dockerfile "+hub.Path+" does not pin jupyterhub")
		default:
			why = append(why, "the hub environment "+hub.Path+" has no jupyterhub")
		}
		if p.DB == nil {
			why = append(why, "no database was read")
		} else {
			why = append(why, "the database has no alembic revision")
		}
		if p.Logs == nil {
			why = append(why, "no log was read")
		} else {
			why = append(why, `the logs have no "Running JupyterHub version" line`)
		}
		msg := fmt.Sprintf("no input tells the running jupyterhub version (%s); pass --hub-env, --db or --log", strings.Join(why, "; "))
		f := rules.Finding{Location: rules.Location{Subject: "version:current"}}
		// Where the hub runs somewhere else (a container, a pod), say
		// how to export its packages from there.
		if c := p.Deployment.ExportHubEnv("hub-freeze.txt"); c != "" {
			where := "the hub"
			if d := p.Deployment; d.Compose != nil {
				where = fmt.Sprintf("the hub runs in the %s service's container (%s), not on this machine", d.Compose.Service, d.Compose.File)
			} else if d.Kind == deploy.Z2JH {
				where = "the hub runs in the chart's hub pod, not on this machine"
			}
			msg += fmt.Sprintf("; %s: export its packages with `%s`, then pass --hub-env hub-freeze.txt", where, c)
			f.Fix = &rules.Fix{Description: "export the running hub's packages and audit again with --hub-env hub-freeze.txt", Commands: []string{c}}
		}
		f.Message = msg
		p.Report(f)
		return nil
	},
}

// TargetNotNewer flags a target at or below the current version.
var TargetNotNewer = &rules.Rule{
	ID: "HUB503", Name: "target-not-newer", Severity: rules.Error, Source: rules.SourceUpgrade,
	Phase: rules.PhasePre, NeedsTarget: true,
	Title: "the target version is older than the running one (a downgrade)",
	Doc: `Downgrading JupyterHub is not an upgrade in reverse. No release has a ` + "`downgrade-db`" + ` command
(the subcommands are ` + "`token`" + ` and ` + "`upgrade-db`" + `), and the older release cannot undo migrations it does
not know. The schema comes back either from the backup taken before the upgrade, or by running
` + "`python3 -m jupyterhub.dbutil alembic downgrade <older head>`" + ` with the newer version still installed (its
migration scripts hold the downgrade steps) before installing the older one; several migrations drop
tables or columns on the way down (tokens and roles are lost), and on SQLite some cannot run at all.
When the target equals the current version there is nothing to upgrade (a note).

Fix: pick a target at or above the current version, or restore the backup taken before the upgrade.`,
	Run: func(p *rules.Pass) error {
		if p.Current.IsZero() {
			return nil
		}
		t := p.Target.Version
		switch c := t.Compare(p.Current); {
		case c < 0:
			msg := fmt.Sprintf("target %s is older than the running jupyterhub %s: this is a downgrade", t, p.Current)
			if cur, ok := p.CurrentRelease(); ok && cur.AlembicHead != p.Target.AlembicHead {
				path, _, err := p.KB.MigrationPath(cur.AlembicHead, p.Target.AlembicHead)
				if err == nil {
					msg += fmt.Sprintf(" and %d database migrations would have to be undone", len(path))
				}
			}
			p.Report(rules.Finding{Message: msg, Location: rules.Location{Subject: "version:target"},
				Fix: &rules.Fix{Description: "choose a target at or above " + p.Current.String() + ", or restore the pre-upgrade backup"}})
		case c == 0:
			p.Report(rules.Finding{Severity: rules.Note, Message: fmt.Sprintf("jupyterhub %s is already the target version", t), Location: rules.Location{Subject: "version:target"}})
		}
		return nil
	},
}

// PrereleaseTarget warns about beta targets.
var PrereleaseTarget = &rules.Rule{
	ID: "HUB504", Name: "prerelease-target", Severity: rules.Warning, Source: rules.SourceUpgrade,
	Phase: rules.PhasePre, NeedsTarget: true,
	Title: "the target is a pre-release",
	Doc: `The target is an alpha, beta or release candidate (for example 6.0.0b2). Pre-releases may add
database migrations that change again before the final release, and their schema cannot be
downgraded on SQLite, so a deployment upgraded to a beta may be stuck with it.

Fix: target the newest final release (` + "`--target latest`" + `) unless you are testing the pre-release on a
copy of the deployment.`,
	Run: func(p *rules.Pass) error {
		if p.Target.Prerelease {
			p.Reportf(rules.Location{Subject: "version:target"}, "target %s is a pre-release; the newest final release is %s", p.Target.Version, p.KB.Latest().Version)
		}
		return nil
	},
}

// MajorsCrossed lists what changes between current and target.
var MajorsCrossed = &rules.Rule{
	ID: "HUB505", Name: "majors-crossed", Severity: rules.Note, Source: rules.SourceUpgrade,
	Phase: rules.PhasePre, NeedsTarget: true,
	Title: "the upgrade crosses one or more major versions",
	Doc: `Each JupyterHub major version has an upgrade guide with breaking changes: 2.0 moved to role-based
access control and revoked every API token (migration 833da8570507 drops api_tokens), 3.0 moved
token permissions to scopes, 4.0 added group properties, 5.0 made ` + "`allow_all`" + ` default to False and
raised the Python floor. Crossing several majors at once is supported by upgrade-db, but every
intermediate change applies. This note lists the majors crossed and what the knowledge base knows
changed at each (schema, Python floor, options removed); the upgrade plan lists them in order.

Fix: read the upgrading guide of every major crossed; the other findings say which changes affect
this deployment.`,
	Run: func(p *rules.Pass) error {
		if p.Current.IsZero() || !p.Current.Less(p.Target.Version) {
			return nil
		}
		changes := Changes(p.KB, p.Current, p.Target)
		majors := p.Target.Version.Major() - p.Current.Major()
		if majors < 1 {
			return nil
		}
		var names []string
		for m := p.Current.Major() + 1; m <= p.Target.Version.Major(); m++ {
			names = append(names, fmt.Sprintf("%d.0", m))
		}
		p.Reportf(rules.Location{Subject: "version:majors"}, "upgrading %s to %s crosses %d major version(s) (%s) with %d recorded changes; read each upgrading guide",
			p.Current, p.Target.Version, majors, strings.Join(names, ", "), len(changes))
		return nil
	},
}

// Change is one thing that changes between two releases.
type Change struct {
	Release string
	Text    string
}

// Changes lists, release by release from current (exclusive) to target
// (inclusive), what the knowledge base knows changed: schema heads (with
// the migrations), Python floors, key requirement floors and removed
// JupyterHub options.
func Changes(k *kb.KB, current pep440.Version, target *kb.Release) []Change {
	var out []Change
	prev, ok := k.ReleaseFor(current)
	if !ok {
		return nil
	}
	removedByLine := removedOptions(k)
	for _, r := range k.Releases() {
		if !prev.Version.Less(r.Version) || target.Version.Less(r.Version) {
			continue
		}
		if r.Prerelease && !r.Version.Equal(target.Version) {
			continue
		}
		v := r.Version.String()
		if r.RequiresPython.String() != prev.RequiresPython.String() {
			out = append(out, Change{v, fmt.Sprintf("Python floor raised from %s to %s (hub and user environments)", prev.RequiresPython, r.RequiresPython)})
		}
		if r.AlembicHead != prev.AlembicHead {
			path, _, err := k.MigrationPath(prev.AlembicHead, r.AlembicHead)
			if err == nil {
				var titles []string
				for _, m := range path {
					titles = append(titles, fmt.Sprintf("%s (%s)", m.Revision, m.Title))
				}
				out = append(out, Change{v, "database schema changes: " + strings.Join(titles, ", ")})
			}
		}
		for _, name := range []string{"sqlalchemy", "alembic", "tornado", "traitlets", "jupyter-server", "jupyter-events", "oauthlib", "pamela"} {
			if prev.RequirementsIncomplete || r.RequirementsIncomplete {
				break // a learned release whose list its distribution cut down
			}
			a, okA := prev.Requirement(name)
			b, okB := r.Requirement(name)
			switch {
			case okB && (!okA || a.Specifier != b.Specifier):
				was := "not required"
				if okA {
					was = orAny(a.Specifier)
				}
				out = append(out, Change{v, fmt.Sprintf("requires %s %s (was %s)", name, orAny(b.Specifier), was)})
			case okA && !okB:
				out = append(out, Change{v, fmt.Sprintf("no longer requires %s", name)})
			}
		}
		if !r.Version.SameMajorMinor(prev.Version) {
			if names := removedByLine[fmt.Sprintf("%d.%d", r.Version.Major(), r.Version.Minor())]; len(names) > 0 {
				out = append(out, Change{v, fmt.Sprintf("%d JupyterHub option(s) removed: %s", len(names), strings.Join(names, ", "))})
			}
		}
		prev = r
	}
	return out
}

func orAny(s string) string {
	if s == "" {
		return "(any version)"
	}
	return s
}

// removedOptions maps "major.minor" to the JupyterHub options first gone in
// that line.
func removedOptions(k *kb.KB) map[string][]string {
	out := map[string][]string{}
	hist, err := k.AllHistory()
	if err != nil {
		return out
	}
	for i := range hist {
		h := &hist[i]
		if h.Package != "jupyterhub" || h.RemovedIn == "" {
			continue
		}
		v, err := pep440.Parse(h.RemovedIn)
		if err != nil {
			continue
		}
		key := v.MajorMinor()
		out[key] = append(out[key], h.Class+"."+h.Trait)
	}
	return out
}

func describe(rs []*kb.Release) string {
	var final []*kb.Release
	for _, r := range rs {
		if !r.Prerelease {
			final = append(final, r)
		}
	}
	if len(final) == 0 {
		final = rs
	}
	switch len(final) {
	case 0:
		return "no known release"
	case 1:
		return "jupyterhub " + final[0].Version.String()
	}
	return fmt.Sprintf("jupyterhub %s to %s", final[0].Version, final[len(final)-1].Version)
}

// hubEnvVersion returns the jupyterhub version of the hub environment.
func hubEnvVersion(p *rules.Pass) (pep440.Version, string) {
	if p.Env == nil {
		return pep440.Version{}, ""
	}
	for _, e := range p.Env.Environments {
		// A chart target's hub image (Found "chart") is what runs after
		// the upgrade, not what runs now.
		if e.Role != "hub" || e.Found == env.FoundChart {
			continue
		}
		if v, err := pep440.Parse(e.Packages["jupyterhub"]); err == nil {
			return v, "the hub environment " + e.Path
		}
	}
	return pep440.Version{}, ""
}
