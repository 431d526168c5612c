package dbrules

import (
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"strings"
	"time"

	"github.com/hubaudit/hubaudit/rules"
)

// recentBackup is how old the newest SQLite backup may be before an
// upgrade without a warning.
const recentBackup = 24 * time.Hour

// NoRecentBackup reports a SQLite database without a recent backup.
var NoRecentBackup = &rules.Rule{
	ID: "HUB205", Name: "no-recent-sqlite-backup", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB, Phase: rules.PhasePre,
	Title: "no recent backup of the SQLite database next to it",
	Doc: "The upgrade guide calls a backup of the database critical: `upgrade-db` may fail on SQLite, " +
		"JupyterHub has no downgrade command, and alembic cannot undo several migrations there, so the " +
		"only way back is a copy. Two kinds of copy count: " +
		"`jupyterhub upgrade-db` leaves its backups next to the file as `<file>.<YYYY-mm-dd-HHMMSS>`, and " +
		"`hubaudit backup --to DIR` writes a directory with the copy and a manifest.json. A hubaudit backup " +
		"counts when it is a subfolder of the deployment directory or of the database's folder, or is named " +
		"with --backup, and its manifest names this database, the copy's sha256 is the manifest's and the " +
		"copy is at the live database's revision. This rule warns when no backup that counts is younger " +
		"than a day, and says why a backup it found does not count. `hubaudit backup --to DIR` makes a " +
		"consistent, verified copy even while the hub runs.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if !isSQLite(f) || f.Empty {
			return nil
		}
		fix := &rules.Fix{Description: "make a consistent, verified copy now (works while the hub runs)", Commands: []string{f.BackupCommand}}
		var why []string
		for _, hb := range f.SQLite.HubauditBackups {
			switch {
			case !hb.Matches:
				why = append(why, fmt.Sprintf("the hubaudit backup in %s does not count: %s", hb.Dir, strings.Join(hb.Problems, "; ")))
			case time.Duration(hb.AgeHours*float64(time.Hour)) <= recentBackup:
				return nil
			default:
				why = append(why, fmt.Sprintf("the hubaudit backup in %s is %.0f days old", hb.Dir, hb.AgeHours/24))
			}
		}
		report := func(msg string) {
			if len(why) > 0 {
				msg += " (" + strings.Join(why, "; ") + ")"
			}
			p.Report(rules.Finding{Location: dbSubject("backup"), Fix: fix, Message: msg})
		}
		if len(f.SQLite.Backups) == 0 {
			report(fmt.Sprintf("no backup of %s found next to it; back it up before upgrading (on sqlite a copy is the only way back)", f.SQLite.Path))
			return nil
		}
		b := f.SQLite.Backups[0]
		if time.Duration(b.AgeHours*float64(time.Hour)) <= recentBackup {
			return nil
		}
		rev := b.Revision
		if rev == "" {
			rev = "unreadable"
		}
		report(fmt.Sprintf("newest backup of %s is %s, %.0f days old, at revision %s; back up again before upgrading",
			f.SQLite.Path, b.Path, b.AgeHours/24, rev))
		return nil
	},
}

// IntegrityCheckFailed reports a SQLite file that fails quick_check.
var IntegrityCheckFailed = &rules.Rule{
	ID: "HUB206", Name: "sqlite-integrity-check-failed", Severity: rules.Error, Source: rules.SourceDB, Needs: needsDB,
	Title: "the SQLite database fails PRAGMA quick_check",
	Doc: "hubaudit runs `PRAGMA quick_check` (read-only) on the SQLite file. Anything but `ok` means the " +
		"file is damaged; migrations on a damaged file can fail half-way or spread the damage. Restore a " +
		"backup, or recover the data with `sqlite3 FILE .recover` into a new file, before upgrading.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if !isSQLite(f) || f.Empty || f.SQLite.IntegrityCheck == "ok" {
			return nil
		}
		first, _, _ := strings.Cut(f.SQLite.IntegrityCheck, "\n")
		p.Report(rules.Finding{Location: dbSubject("integrity"),
			Message: fmt.Sprintf("sqlite integrity check of %s failed: %s", f.SQLite.Path, first),
			Fix: &rules.Fix{Description: "restore a backup or recover the data into a new file",
				Commands: []string{fmt.Sprintf("sqlite3 %s .recover | sqlite3 %s", shell.Quote(f.SQLite.Path), shell.Quote(f.SQLite.Path+".recovered"))}}})
		return nil
	},
}

// SQLiteNotWritable reports a file or directory the hub user cannot write.
var SQLiteNotWritable = &rules.Rule{
	ID: "HUB207", Name: "sqlite-not-writable", Severity: rules.Error, Source: rules.SourceDB, Needs: needsDB,
	Title: "the SQLite file or its directory is not writable by the file's owner",
	Doc: "The hub writes the database file, SQLite creates journal files next to it, and `upgrade-db` " +
		"copies the file to a backup in the same directory. JupyterHub checks this at start " +
		"(`%s cannot edit %s`, `%s cannot create files in %s`). hubaudit judges by the file's owner " +
		"(normally the user the hub runs as): the owner must be able to write both the file and its " +
		"directory.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if !isSQLite(f) || f.Empty {
			return nil
		}
		s := f.SQLite
		if !s.OwnerWritable {
			p.Report(rules.Finding{Location: dbSubject("file"),
				Message: fmt.Sprintf("sqlite database %s is not writable by its owner (uid %d): the hub cannot save anything and upgrade-db will fail", s.Path, s.OwnerUID),
				Fix:     &rules.Fix{Description: "let the hub user write the file", Commands: []string{"chmod u+w " + shell.Quote(s.Path)}}})
		}
		if !s.DirOwnerWritable {
			dir := s.Path[:strings.LastIndexByte(s.Path, '/')+1]
			p.Report(rules.Finding{Location: dbSubject("dir"),
				Message: fmt.Sprintf("directory %s is not writable by the database owner (uid %d): sqlite cannot create its journal and upgrade-db cannot write its backup", dir, s.OwnerUID),
				Fix:     &rules.Fix{Description: "let the hub user create files in the directory", Commands: []string{fmt.Sprintf("chown %d %s", s.OwnerUID, shell.Quote(dir))}}})
		}
		return nil
	},
}

// SQLiteDiskSpace reports too little free space for upgrade-db's backup.
var SQLiteDiskSpace = &rules.Rule{
	ID: "HUB208", Name: "sqlite-disk-space", Severity: rules.Error, Source: rules.SourceDB, Needs: needsDB,
	Title: "not enough free disk space for upgrade-db's backup of the SQLite file",
	Doc: "Before migrating a SQLite database `jupyterhub upgrade-db` copies the whole file next to it, " +
		"and migrations that rebuild tables (batch mode) need about as much again while they run. " +
		"hubaudit wants twice the file size free on its file system; with less, `upgrade-db` can stop " +
		"half-way with a full disk.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if !isSQLite(f) || f.Empty || f.SQLite.FreeBytes < 0 {
			return nil
		}
		need := 2 * f.SQLite.Size
		if f.SQLite.FreeBytes >= need {
			return nil
		}
		p.Reportf(dbSubject("disk"), "only %s free next to %s (%s): upgrade-db's backup and table rebuilds need about %s",
			humanBytes(f.SQLite.FreeBytes), f.SQLite.Path, humanBytes(f.SQLite.Size), humanBytes(need))
		return nil
	},
}

// SQLiteMigrationCaveats reports SQLite-sensitive migrations on the path.
var SQLiteMigrationCaveats = &rules.Rule{
	ID: "HUB209", Name: "sqlite-migration-caveats", Severity: rules.Warning, Source: rules.SourceDB, Needs: needsDB, NeedsTarget: true, Phase: rules.PhasePre,
	Title: "migrations on the upgrade path behave differently on SQLite, and cannot be undone there",
	Doc: "The upgrade guide warns that on SQLite `upgrade-db` may fail and a downgrade will not work. " +
		"This rule lists, from the knowledge base's reading of each migration, the ones on the path from " +
		"the database's revision to the target's head that are SQLite-sensitive: tables rebuilt with " +
		"`batch_alter_table`, foreign keys that SQLite cannot add, column drops SQLite cannot do, raw SQL " +
		"that newer SQLAlchemy rejects. Keep the backup until the upgraded hub has run for a while.",
	Run: func(p *rules.Pass) error {
		f := p.DB
		if !isSQLite(f) || f.Empty {
			return nil
		}
		ms, down, ok := path(p, p.Target)
		if !ok || down || len(ms) == 0 {
			return nil
		}
		var notes []string
		undoable := 0
		for _, m := range ms {
			if why, ok := sqliteSensitive(m); ok {
				notes = append(notes, m.Revision+" "+why)
			}
			if !noSQLiteDowngrade(m) {
				undoable++
			}
		}
		msg := fmt.Sprintf("upgrading the sqlite database from %s to %s (%s) runs %s, %d of which have no reliable sqlite downgrade",
			f.Revision, p.Target.AlembicHead, p.Target.Version, plural(int64(len(ms)), "migration", "migrations"), len(ms)-undoable)
		if len(notes) > 0 {
			msg += "; sqlite-sensitive: " + strings.Join(notes, "; ")
		}
		p.Report(rules.Finding{Location: dbSubject("sqlite-migrations"), Message: msg,
			Fix: &rules.Fix{Description: "keep a verified backup; the only way back on sqlite is restoring it", Commands: []string{f.BackupCommand}}})
		return nil
	},
}
