package dbrules

import (
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"strings"

	"github.com/hubaudit/hubaudit/rules"
)

var needsDB = []rules.Source{rules.SourceDB}

// UpgradeDBNeeded reports a schema older than the release that will run.
var UpgradeDBNeeded = &rules.Rule{
	ID: "HUB201", Name: "upgrade-db-needed", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB,
	Title: "the database schema is older than the release: run `jupyterhub upgrade-db` between installing and starting",
	Doc: "The hub database is stamped with an alembic revision (table `alembic_version`). A JupyterHub " +
		"release refuses to start on a database whose revision is not its own head and exits with " +
		"`Found database schema version X != Y. Backup your database and run jupyterhub upgrade-db`.\n\n" +
		"Before the upgrade (`pre --target`) this is the expected step and is reported as a warning with " +
		"the exact commands: back the database up first, install the new release, run " +
		"`jupyterhub upgrade-db` with the hub's config, then start the hub. After the upgrade (`post`) a " +
		"schema that is still behind the installed release is an error: the hub will not start.\n\n" +
		"The migrations that will run are listed from the knowledge base (alembic chain of every release).",
	Run: func(p *rules.Pass) error {
		ref, how := reference(p)
		if ref == nil {
			return nil
		}
		ms, down, ok := path(p, ref)
		if !ok || down || len(ms) == 0 {
			return nil
		}
		f := p.DB
		sev := rules.Warning
		if p.Mode == rules.ModePost {
			sev = rules.Error
		}
		msg := fmt.Sprintf("database schema is at %s and %s %s needs %s: run `jupyterhub upgrade-db` after installing %s and before starting it (%s: %s)",
			revisionLabel(p.KB, f.Revision), how, ref.Version, ref.AlembicHead, ref.Version, plural(int64(len(ms)), "migration", "migrations"), revList(ms))
		if p.Mode == rules.ModePost {
			msg = fmt.Sprintf("database schema is at %s but the %s JupyterHub %s needs %s: the hub will refuse to start until `jupyterhub upgrade-db` runs (%s)",
				revisionLabel(p.KB, f.Revision), how, ref.Version, ref.AlembicHead, plural(int64(len(ms)), "migration", "migrations"))
		}
		if d := p.Deployment; d != nil && d.HubUpgradesDB != "" {
			// Running it by hand is not this deployment's way: the new
			// release's hub does it when it starts.
			if p.Mode == rules.ModePre {
				msg = fmt.Sprintf("database schema is at %s and %s %s needs %s: the hub upgrades it when %s starts (%s), and a failed migration stops that start; keep a backup (%s: %s)",
					revisionLabel(p.KB, f.Revision), how, ref.Version, ref.AlembicHead, ref.Version, d.HubUpgradesDB, plural(int64(len(ms)), "migration", "migrations"), revList(ms))
			} else {
				msg = fmt.Sprintf("database schema is at %s but the %s JupyterHub %s needs %s, although %s: the new hub has not started, or its upgrade failed (read its log)",
					revisionLabel(p.KB, f.Revision), how, ref.Version, ref.AlembicHead, d.HubUpgradesDB)
			}
			p.Report(rules.Finding{
				Severity: sev, Message: msg, Location: dbSubject("revision"),
				Fix: &rules.Fix{Description: "back up the database, then follow the upgrade plan: the hub runs the migrations itself", Commands: []string{f.BackupCommand}},
			})
			return nil
		}
		cmds := []string{f.BackupCommand}
		if p.Mode == rules.ModePre {
			cmds = append(cmds, fmt.Sprintf("python -m pip install 'jupyterhub==%s'    # in the hub's environment", ref.Version))
		}
		cmds = append(cmds, upgradeDBCommand(p), "# then start the hub")
		p.Report(rules.Finding{
			Severity: sev, Message: msg, Location: dbSubject("revision"),
			Fix: &rules.Fix{Description: "back up the database, install the release, run upgrade-db, then start the hub", Commands: cmds},
		})
		return nil
	},
}

// SchemaAhead reports a schema newer than the release that will run.
var SchemaAhead = &rules.Rule{
	ID: "HUB202", Name: "schema-ahead", Severity: rules.Error, Source: rules.SourceDB, Needs: needsDB,
	Title: "the database schema is newer than the release that will run: a downgrade",
	Doc: "The database was already migrated by a newer JupyterHub than the one that will run (the target " +
		"in `pre`, the installed one in `post`). That release will refuse to start. No JupyterHub release " +
		"has a `downgrade-db` command (the subcommands are `token` and `upgrade-db`), and an older release " +
		"cannot undo migrations it does not have. The ways back are: restore the backup taken before the " +
		"upgrade (the reliable one); or, with the newer release that made this schema still installed, run " +
		"`python3 -m jupyterhub.dbutil alembic downgrade <older head>` in the directory of " +
		"`jupyterhub_config.py` (it runs alembic with that release's migration scripts on the configured " +
		"`db_url`), then install the older release. Several downgrades drop whole tables (tokens, roles " +
		"are lost), and on SQLite some cannot run at all. Or target a release with this schema.",
	Run: func(p *rules.Pass) error {
		ref, how := reference(p)
		if ref == nil {
			return nil
		}
		ms, down, ok := path(p, ref)
		if !ok || !down || len(ms) == 0 {
			return nil
		}
		f := p.DB
		msg := fmt.Sprintf("database schema %s is newer than %s %s (%s): that release will refuse to start and the downgrade would undo %s",
			revisionLabel(p.KB, f.Revision), how, ref.Version, ref.AlembicHead, plural(int64(len(ms)), "migration", "migrations"))
		if isSQLite(f) {
			var bad []string
			for _, m := range ms {
				if noSQLiteDowngrade(m) {
					bad = append(bad, m.Revision)
				}
			}
			if len(bad) > 0 {
				msg += "; on sqlite alembic cannot reliably undo " + strings.Join(bad, ", ")
			}
		}
		fix := &rules.Fix{Description: "restore the backup taken before the upgrade, or target a release whose head is " + f.Revision}
		if isSQLite(f) && len(f.SQLite.Backups) > 0 {
			for _, b := range f.SQLite.Backups {
				if b.Revision == ref.AlembicHead {
					fix.Commands = []string{fmt.Sprintf("cp %s %s    # with the hub stopped; backup from %s", shell.Quote(b.Path), shell.Quote(f.SQLite.Path), b.Time)}
					break
				}
			}
		}
		if rs := p.KB.ReleasesWithHead(f.Revision); len(rs) > 0 {
			fix.Description += fmt.Sprintf(" (%s)", versionsOf(p.KB, f.Revision))
			if c, ok := p.KB.Command("dbutil.alembic", rs[len(rs)-1].Version); ok && len(fix.Commands) == 0 {
				fix.Description += "; without a backup, undo the migrations with the newer release still installed, then install " + ref.Version.String()
				fix.Commands = []string{fmt.Sprintf("%s downgrade %s    # in the directory of jupyterhub_config.py, hub stopped, after a copy of the database", c.Command, ref.AlembicHead)}
			}
		}
		p.Report(rules.Finding{Message: msg, Location: dbSubject("revision"), Fix: fix})
		return nil
	},
}

// UnknownRevision reports a revision that no release knows.
var UnknownRevision = &rules.Rule{
	ID: "HUB203", Name: "unknown-revision", Severity: rules.Error, Source: rules.SourceDB, Needs: needsDB,
	Title: "the database revision is unknown to every JupyterHub release",
	Doc: "The `alembic_version` stamp is not a revision of any released JupyterHub. Either the database " +
		"was migrated by a development build (a revision that only existed on a branch), or it is not a " +
		"JupyterHub database, or `alembic_version` holds several rows (a branched history). No release " +
		"can upgrade it: `upgrade-db` fails with `Can't locate revision`. Find which JupyterHub build " +
		"created it, or restore a backup made by a released version.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		switch {
		case len(f.Revisions) > 1:
			p.Reportf(dbSubject("revision"), "alembic_version holds %d revisions (%s); JupyterHub's history is a single line, so no release can upgrade this database",
				len(f.Revisions), strings.Join(f.Revisions, ", "))
		case f.Revision == "" || f.RevisionKnown:
		case f.RevisionUnreleased:
			m, _ := p.KB.UnreleasedMigration(f.Revision)
			p.Reportf(dbSubject("revision"), "database revision %s (%s) comes from a JupyterHub development build and is in no release; no release can upgrade it",
				f.Revision, m.Title)
		default:
			p.Reportf(dbSubject("revision"), "database revision %s is unknown to every JupyterHub release (newest head %s): a development build or not a JupyterHub database",
				f.Revision, p.KB.Releases()[len(p.KB.Releases())-1].AlembicHead)
		}
		return nil
	},
}

// NoRevisionStamp reports a database without alembic_version.
var NoRevisionStamp = &rules.Rule{
	ID: "HUB204", Name: "no-revision-stamp", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB,
	Title: "the database has no alembic revision stamp (or no tables at all)",
	Doc: "Without an `alembic_version` table JupyterHub guesses which release created the database from " +
		"the tables it finds (`Database schema version not found, guessing that JupyterHub X created " +
		"this database`) and stamps it, which is right only for databases older than 0.8. A database " +
		"with no tables at all (or an empty file) holds nothing: the hub will create a fresh one and " +
		"every user, token and group not in the config is gone, which is worth knowing before the " +
		"upgrade (a wrong `db_url` is the usual cause).",
	Run: func(p *rules.Pass) error {
		f := p.DB
		switch {
		case f.Empty:
			p.Report(rules.Finding{Severity: rules.Note, Location: dbSubject("revision"),
				Message: fmt.Sprintf("database %s is empty (no tables): the hub will create a new database at start; check that db_url points at the real one", f.URL)})
		case !f.HasAlembicTable:
			p.Reportf(dbSubject("revision"), "database %s has tables but no alembic_version: JupyterHub will guess it was created by %s and stamp it accordingly",
				f.URL, strings.Join(f.GuessedVersions, ", "))
		case f.Revision == "":
			p.Reportf(dbSubject("revision"), "alembic_version in %s is empty: upgrade-db cannot tell which migrations to run", f.URL)
		}
		return nil
	},
}

// MissingTables reports JupyterHub tables that are absent.
var MissingTables = &rules.Rule{
	ID: "HUB217", Name: "missing-tables", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB,
	Title: "JupyterHub tables are missing from the database",
	Doc: "Every JupyterHub release since 0.9 keeps users, servers, spawners, services, groups, api_tokens, " +
		"oauth_clients and user_group_map. When one is missing the hub recreates it empty at start, " +
		"so its rows are lost. After `upgrade-db` from 1.x to 2.x this is expected for `api_tokens` " +
		"(migration 833da8570507 drops it and the hub recreates it); otherwise the database may be " +
		"damaged, partly restored, or not a JupyterHub database.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if f.Empty || len(f.MissingTables) == 0 || !f.HasAlembicTable {
			return nil
		}
		fd := rules.Finding{Location: dbSubject("tables"), Message: fmt.Sprintf("database at revision %s lacks %s %s; the hub recreates missing tables empty at start",
			f.Revision, map[bool]string{true: "table", false: "tables"}[len(f.MissingTables) == 1], strings.Join(f.MissingTables, ", "))}
		// The migration that stamped this revision may itself have dropped
		// the tables (the hub recreates them at its next start).
		if m, ok := p.KB.Migration(f.Revision); ok && m.RevokesTokens {
			fd.Severity = rules.Note
			fd.Message += fmt.Sprintf(" (expected right after migration %s, which drops them)", m.Revision)
		}
		p.Report(fd)
		return nil
	},
}
