package dbrules

import (
	"fmt"
	"github.com/hubaudit/hubaudit/internal/shell"
	"strings"

	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/rules"
)

// reference returns the release whose schema the database must match:
// the target when one is given, else (in post) the installed release when
// it was detected from something other than the database itself.
func reference(p *rules.Pass) (*kb.Release, string) {
	if p.Target != nil {
		return p.Target, "target"
	}
	if p.Mode == rules.ModePost && !p.Current.IsZero() && p.CurrentFrom != "db" {
		if r, ok := p.KB.ReleaseFor(p.Current); ok {
			return r, "installed"
		}
	}
	return nil, ""
}

// versionsOf renders the releases with head rev ("3.0.0–3.1.1", "5.5.1").
func versionsOf(k *kb.KB, rev string) string {
	rs := k.ReleasesWithHead(rev)
	switch len(rs) {
	case 0:
		if m, ok := k.Migration(rev); ok && len(m.HeadOfOlder) > 0 {
			h := m.HeadOfOlder
			if len(h) == 1 {
				return h[0]
			}
			return h[0] + "–" + h[len(h)-1]
		}
		if m, ok := k.Migration(rev); ok && m.FirstRelease != "" {
			return "between releases, first in " + m.FirstRelease
		}
		return "no release"
	case 1:
		return rs[0].Version.String()
	}
	return rs[0].Version.String() + "–" + rs[len(rs)-1].Version.String()
}

// revisionLabel renders "651f5419b74d (3.0.0–3.1.1)".
func revisionLabel(k *kb.KB, rev string) string {
	return fmt.Sprintf("%s (%s)", rev, versionsOf(k, rev))
}

func isSQLite(f *db.Facts) bool { return f.Dialect == "sqlite" && f.SQLite != nil }

// dbSubject is the stable subject of database findings.
func dbSubject(key string) rules.Location { return rules.Location{Subject: "db:" + key} }

// configFile returns the first config file, for commands that need -f.
func configFile(p *rules.Pass) string {
	if p.Config != nil && len(p.Config.Files) > 0 {
		return p.Config.Files[0]
	}
	return ""
}

// upgradeDBCommand is the command that runs the migrations with the
// hub's own configuration.
func upgradeDBCommand(p *rules.Pass) string {
	if f := configFile(p); f != "" {
		return "jupyterhub upgrade-db -f " + shell.Quote(f)
	}
	return "jupyterhub upgrade-db    # in the hub's working directory, with its config"
}

// path returns the migrations from the database's revision to the
// reference release's head, and whether that is a downgrade.
func path(p *rules.Pass, ref *kb.Release) ([]*kb.Migration, bool, bool) {
	if p.DB.Revision == "" || !p.DB.RevisionKnown || len(p.DB.Revisions) > 1 {
		return nil, false, false
	}
	ms, down, err := p.KB.MigrationPath(p.DB.Revision, ref.AlembicHead)
	if err != nil {
		return nil, false, false
	}
	return ms, down, true
}

func revList(ms []*kb.Migration) string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Revision)
	}
	return strings.Join(out, ", ")
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

// sqliteSensitive reports whether a migration behaves differently or
// incompletely on SQLite, from the knowledge base's sqlite notes.
func sqliteSensitive(m *kb.Migration) (string, bool) {
	n := strings.ToLower(m.SQLiteNotes)
	switch {
	case m.BatchAlter:
		return "rebuilds tables with batch_alter_table (copy-and-move)", true
	case strings.Contains(n, "foreign keys are not created"):
		return "cannot create its foreign keys on sqlite", true
	case strings.Contains(n, "column drops raise"):
		return "cannot drop columns on sqlite and leaves them in place", true
	case strings.Contains(n, "raw sql"):
		return "runs raw SQL without text(), which SQLAlchemy 2 rejects", true
	}
	return "", false
}

// noSQLiteDowngrade reports whether a migration cannot be undone by an
// alembic downgrade on SQLite (or loses data doing so), from the knowledge
// base's downgrade notes.
func noSQLiteDowngrade(m *kb.Migration) bool {
	d := strings.ToLower(m.DowngradeOK)
	return strings.HasPrefix(d, "no") || strings.HasPrefix(d, "doubtful") || strings.HasPrefix(d, "lossy") ||
		strings.HasPrefix(d, "partly") || strings.Contains(d, "sqlite needs drop column")
}
