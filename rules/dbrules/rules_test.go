package dbrules

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/checks/config"
	"github.com/hubaudit/hubaudit/checks/db"
	"github.com/hubaudit/hubaudit/checks/env"
	"github.com/hubaudit/hubaudit/deploy"
	"github.com/hubaudit/hubaudit/internal/testsrv"
	"github.com/hubaudit/hubaudit/kb"
	"github.com/hubaudit/hubaudit/pep440"
	"github.com/hubaudit/hubaudit/rules"
)

var update = flag.Bool("update", false, "rewrite golden files")

var pinned = time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)

func TestValidate(t *testing.T) {
	if err := rules.Validate(Rules); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < len(Rules); i++ {
		if Rules[i-1].ID >= Rules[i].ID {
			t.Errorf("rules not in ID order at %s", Rules[i].ID)
		}
	}
}

// scenario is a database built from real DDL, an audit mode and the
// findings expected: want lists "RULEID severity subject" lines, and the
// full findings are compared with a golden file.
type scenario struct {
	name    string
	version string // schema the database is built from
	rev     string // alembic stamp ("" = the schema's, "-" = none)
	mode    rules.Mode
	target  string
	current string // installed version (from env) in post
	prepare func(t *testing.T, dir string)
	want    []string
	// hubUpgradesDB is the deployment's HubUpgradesDB (TLJH's unit, the
	// chart's --upgrade-db).
	hubUpgradesDB string
}

var scenarios = []scenario{
	// TLJH's unit and the z2jh chart start the hub with --upgrade-db:
	// HUB201 does not tell the admin to run it by hand.
	{name: "pre-hub-upgrades-db", version: "3.0.0", mode: rules.ModePre, target: "5.5.1", hubUpgradesDB: "TLJH's jupyterhub.service starts the hub with --upgrade-db", want: []string{
		"HUB201 warning db:revision", "HUB205 warning db:backup", "HUB209 warning db:sqlite-migrations",
		"HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "pre-3.0.0-to-5.5.1", version: "3.0.0", mode: rules.ModePre, target: "5.5.1", want: []string{
		"HUB201 warning db:revision", "HUB205 warning db:backup", "HUB209 warning db:sqlite-migrations",
		"HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "pre-1.5.1-to-3.0.0-drops-tokens", version: "1.5.1", mode: rules.ModePre, target: "3.0.0", want: []string{
		"HUB201 warning db:revision", "HUB205 warning db:backup", "HUB209 warning db:sqlite-migrations", "HUB210 warning db:tokens",
		"HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "pre-5.5.1-to-6.0.0b2-named-servers", version: "5.5.1", mode: rules.ModePre, target: "6.0.0b2", prepare: freshBackup, want: []string{
		"HUB201 warning db:revision", "HUB209 warning db:sqlite-migrations", "HUB211 note db:contents",
		"HUB212 warning db:servers-running", "HUB213 note db:named-servers"}},
	{name: "pre-5.5.1-to-5.5.1-nothing-to-migrate", version: "5.5.1", mode: rules.ModePre, target: "5.5.1", prepare: freshBackup, want: []string{
		"HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "post-4.1.6-db-under-5.5.1", version: "4.1.6", mode: rules.ModePost, current: "5.5.1", want: []string{
		"HUB201 error db:revision", "HUB211 note db:contents"}},
	{name: "pre-downgrade-5.5.1-to-4.1.6", version: "5.5.1", mode: rules.ModePre, target: "4.1.6", prepare: freshBackup, want: []string{
		"HUB202 error db:revision", "HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "unknown-revision", version: "5.5.1", rev: "0123456789ab", mode: rules.ModePre, target: "5.5.1", prepare: freshBackup, want: []string{
		"HUB203 error db:revision", "HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "unreleased-revision", version: "1.5.1", rev: "26fc487e2b43", mode: rules.ModePre, target: "5.5.1", prepare: freshBackup, want: []string{
		"HUB203 error db:revision", "HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "no-stamp", version: "1.5.1", mode: rules.ModePre, target: "5.5.1", prepare: func(t *testing.T, dir string) {
		exec(t, dir, "DROP TABLE alembic_version")
		freshBackup(t, dir)
	}, want: []string{"HUB204 warning db:revision", "HUB211 note db:contents", "HUB212 warning db:servers-running"}},
	{name: "missing-api-tokens-after-2.0-migration", version: "2.3.1", mode: rules.ModePost, prepare: func(t *testing.T, dir string) {
		exec(t, dir, "DROP TABLE api_tokens")
	}, want: []string{"HUB211 note db:contents", "HUB217 note db:tables"}},
	{name: "old-backup-with-its-revision", version: "4.1.6", mode: rules.ModePre, target: "4.1.6", prepare: func(t *testing.T, dir string) {
		src := filepath.Join(dir, "jupyterhub.sqlite")
		b, _ := os.ReadFile(src)
		os.WriteFile(src+pinned.In(time.Local).Add(-10*24*time.Hour).Format(".2006-01-02-150405"), b, 0o600)
	}, want: []string{"HUB205 warning db:backup", "HUB211 note db:contents", "HUB212 warning db:servers-running"}},
}

func exec(t *testing.T, dir, stmt string) {
	t.Helper()
	d, err := openRW(filepath.Join(dir, "jupyterhub.sqlite"))
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if _, err := d.Exec(stmt); err != nil {
		t.Fatal(err)
	}
}

// freshBackup leaves an upgrade-db style backup made an hour ago.
func freshBackup(t *testing.T, dir string) {
	t.Helper()
	src := filepath.Join(dir, "jupyterhub.sqlite")
	b, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(src+pinned.In(time.Local).Add(-time.Hour).Format(".2006-01-02-150405"), b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// runScenario builds the database, collects it and runs the HUB2xx rules.
func runScenario(t *testing.T, sc scenario) []rules.Finding {
	t.Helper()
	k := kb.MustLoad()
	dir := t.TempDir()
	testsrv.NewSQLiteHub(t, filepath.Join(dir, "jupyterhub.sqlite"), sc.version, sc.rev, testsrv.RealisticHub())
	if sc.prepare != nil {
		sc.prepare(t, dir)
	}
	f, err := db.Collect(context.Background(), db.Options{Dir: dir, KB: k, ConfigUsers: []string{"alice", "bob", "carol"}, Now: pinned})
	if err != nil {
		t.Fatal(err)
	}
	// What depends on the machine is pinned: plenty of free space, the
	// backup ages relative to the pinned clock.
	f.SQLite.FreeBytes = 1 << 40
	in := &rules.Input{Mode: sc.mode, KB: k, DB: f, Config: &config.Facts{Files: []string{"/srv/jupyterhub/jupyterhub_config.py"}}}
	if sc.hubUpgradesDB != "" {
		in.Deployment = &deploy.Facts{HubUpgradesDB: sc.hubUpgradesDB}
	}
	if sc.target != "" {
		r, err := k.Resolve(sc.target)
		if err != nil {
			t.Fatal(err)
		}
		in.Target = r
	}
	if sc.current != "" {
		in.Current, in.CurrentFrom = pep440.MustParse(sc.current), "env"
	}
	res := rules.Run(Rules, in, rules.Options{})
	return res.Findings
}

func summary(fs []rules.Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s", f.RuleID, f.Severity, f.Location.Subject))
	}
	sort.Strings(out)
	return out
}

func TestScenarios(t *testing.T) {
	for _, sc := range scenarios {
		t.Run(sc.name, func(t *testing.T) {
			fs := runScenario(t, sc)
			if got, want := strings.Join(summary(fs), "\n"), strings.Join(sc.want, "\n"); got != want {
				t.Errorf("findings:\n%s\nwant:\n%s", got, want)
			}
			for _, f := range fs {
				if f.Message == "" || strings.Contains(f.Message, "\n") || f.Message[0] < 'a' && f.Message[0] != '"' && !(f.Message[0] >= '0' && f.Message[0] <= '9') {
					t.Errorf("%s: message must be one line starting lower case: %q", f.RuleID, f.Message)
				}
			}
			b, _ := json.MarshalIndent(scrub(fs), "", "  ")
			golden(t, "rules-"+sc.name+".json", append(b, '\n'))
		})
	}
}

// scrub removes temporary directory names from findings.
func scrub(fs []rules.Finding) []rules.Finding {
	out := make([]rules.Finding, len(fs))
	tmp := os.TempDir()
	for i, f := range fs {
		f.Message = scrubPath(f.Message, tmp)
		if f.Fix != nil {
			fx := *f.Fix
			fx.Commands = append([]string(nil), fx.Commands...)
			for j := range fx.Commands {
				fx.Commands[j] = scrubPath(fx.Commands[j], tmp)
			}
			f.Fix = &fx
		}
		out[i] = f
	}
	return out
}

func scrubPath(s, tmp string) string {
	for {
		i := strings.Index(s, tmp+"/")
		if i < 0 {
			return s
		}
		j := i + len(tmp) + 1
		for j < len(s) && s[j] != '/' {
			j++
		}
		// Drop the test's own temporary directories (TestX/NNN).
		k := j
		if k < len(s) {
			k++
			for k < len(s) && s[k] >= '0' && s[k] <= '9' {
				k++
			}
		}
		s = s[:i] + "$TMP" + s[k:]
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("..", "..", "testdata", "db", "golden", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatalf("%v (run with -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from golden (run with -update to accept):\n%s", name, got)
	}
}

// factsCase runs the rules on facts written by hand, for conditions that
// a test cannot produce on a real file (a damaged file, a full disk, a
// foreign owner) or that need another source (env, config).
type factsCase struct {
	name   string
	facts  func(f *db.Facts)
	target string
	envPkg map[string]string
	config []config.Assignment
	want   []string
	msg    string // a substring of the first finding's message
}

func baseFacts() *db.Facts {
	return &db.Facts{Dialect: "sqlite", URL: "sqlite:///jupyterhub.sqlite", Scheme: "sqlite", Revision: "4621fec11365", RevisionKnown: true,
		HasAlembicTable: true, Revisions: []string{"4621fec11365"}, Counts: map[string]int64{}, Tables: map[string][]string{},
		BackupCommand: "hubaudit backup --to hubaudit-backup",
		SQLite: &db.SQLiteFacts{Path: "/srv/jupyterhub/jupyterhub.sqlite", Size: 10 << 20, JournalMode: "delete", IntegrityCheck: "ok", OwnerUID: 1000,
			OwnerWritable: true, DirOwnerWritable: true, FreeBytes: 1 << 40,
			Backups: []db.SQLiteBackup{{Path: "/srv/jupyterhub/jupyterhub.sqlite.2026-03-04-040000", AgeHours: 1, Revision: "4621fec11365"}}}}
}

func TestFacts(t *testing.T) {
	k := kb.MustLoad()
	cases := []factsCase{
		{name: "integrity", facts: func(f *db.Facts) {
			f.SQLite.IntegrityCheck = "*** in database main ***\nPage 5: btreeInitPage() returns error code 11"
		},
			want: []string{"HUB206 error db:integrity"}, msg: "sqlite integrity check of /srv/jupyterhub/jupyterhub.sqlite failed: *** in database main ***"},
		{name: "not-writable", facts: func(f *db.Facts) { f.SQLite.OwnerWritable, f.SQLite.DirOwnerWritable = false, false },
			want: []string{"HUB207 error db:dir", "HUB207 error db:file"}, msg: "directory /srv/jupyterhub/ is not writable by the database owner (uid 1000)"},
		{name: "disk-space", facts: func(f *db.Facts) { f.SQLite.FreeBytes = 5 << 20 },
			want: []string{"HUB208 error db:disk"}, msg: "only 5.0 MiB free next to /srv/jupyterhub/jupyterhub.sqlite (10.0 MiB): upgrade-db's backup and table rebuilds need about 20.0 MiB"},
		{name: "postgres-scheme-5.5.1", target: "5.5.1", facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.URL, f.SQLite = "postgresql", "postgres", "postgres://hub:***@db/jhub", nil
		}, want: []string{"HUB214 error db:url"}, msg: "db_url postgres://hub:***@db/jhub uses the postgres:// scheme, which SQLAlchemy 1.4 and later reject; JupyterHub 5.5.1 requires sqlalchemy>=1.4.1, so the hub will not connect"},
		{name: "postgres-scheme-1.5.1", target: "1.5.1", facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.URL, f.SQLite, f.Revision, f.Revisions = "postgresql", "postgres", "postgres://hub:***@db/jhub", nil, "4dc2d5a8c53c", []string{"4dc2d5a8c53c"}
		}, want: []string{"HUB214 warning db:url"}},
		{name: "missing-driver", envPkg: map[string]string{"jupyterhub": "5.5.1", "sqlalchemy": "2.0.30"}, facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.Driver, f.SQLite = "mysql", "mysql+pymysql", "pymysql", nil
		}, want: []string{"HUB215 error db:driver/pymysql"}, msg: "db_url scheme mysql+pymysql needs the pymysql package, which the hub environment /opt/hub does not have"},
		{name: "driver-present", envPkg: map[string]string{"jupyterhub": "5.5.1", "psycopg2-binary": "2.9.9"}, facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.SQLite = "postgresql", "postgresql", nil
		}},
		{name: "mysql-row-format", facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.SQLite = "mysql", "mysql+pymysql", nil
			f.MySQL = &db.MySQLFacts{MariaDB: true, DefaultRowFormat: "dynamic", NarrowRowFormatTables: []string{"servers", "users"}, NonInnoDBTables: []string{"groups"}}
		}, want: []string{"HUB216 warning db:mysql/engine", "HUB216 warning db:mysql/row-format"}},
		// The 6.0 policies (jupyterhub/jupyterhub 6.0.0b2 jupyterhub/app.py:
		// the default "allow-start" renames nothing; only "autorename"
		// renames, and not running servers; docs/source/howto/upgrading-v6.md).
		{name: "named-servers-autorename", target: "6.0.0b2", config: []config.Assignment{{File: "jupyterhub_config.py", Line: 7, Trait: "JupyterHub.allow_existing_invalid_named_servers", Op: "=", Value: "autorename", ValueKind: "literal"}},
			facts: func(f *db.Facts) {
				f.InvalidServerNames, f.InvalidServerNamesExamples, f.Counts["named_servers"] = 3, []string{"My Project", "x_1", "Z"}, 10
				f.Revision, f.Revisions = "f460b0348206", []string{"f460b0348206"}
			}, want: []string{"HUB213 warning db:named-servers"}, msg: `3 named servers of 10 break the naming rules of 6.0.0b2 (e.g. "My Project", "x_1", "Z"); with allow_existing_invalid_named_servers = "autorename" (set at jupyterhub_config.py:7) the hub renames the stopped ones at start, but not what the spawner keyed on the old names (volumes, paths)`},
		{name: "named-servers-autorename-running", target: "6.0.0b2", config: []config.Assignment{{File: "jupyterhub_config.py", Line: 7, Trait: "JupyterHub.allow_existing_invalid_named_servers", Op: "=", Value: "autorename", ValueKind: "literal"}},
			facts: func(f *db.Facts) {
				f.InvalidServerNames, f.InvalidServerNamesRunning, f.InvalidServerNamesExamples, f.Counts["named_servers"] = 2, 1, []string{"My Project", "x_1"}, 4
				f.Revision, f.Revisions = "f460b0348206", []string{"f460b0348206"}
			}, want: []string{"HUB213 error db:named-servers"}, msg: "; 1 of them running, which 6.0.0b2 does not rename"},
		{name: "named-servers-default", target: "6.0.0b2", facts: func(f *db.Facts) {
			f.InvalidServerNames, f.InvalidServerNamesRunning, f.InvalidServerNamesExamples, f.Counts["named_servers"] = 2, 1, []string{"My Project", "x_1"}, 4
			f.Revision, f.Revisions = "f460b0348206", []string{"f460b0348206"}
		}, want: []string{"HUB213 note db:named-servers"}, msg: `; with allow_existing_invalid_named_servers = "allow-start" (the default) they keep their names and their owners can still start them`},
		{name: "named-servers-allow-delete", target: "6.0.0b2", config: []config.Assignment{{File: "jupyterhub_config.py", Line: 3, Trait: "JupyterHub.allow_existing_invalid_named_servers", Op: "=", Value: "allow-delete", ValueKind: "literal"}},
			facts: func(f *db.Facts) {
				f.InvalidServerNames, f.InvalidServerNamesExamples, f.Counts["named_servers"] = 1, []string{"Z"}, 1
				f.Revision, f.Revisions = "f460b0348206", []string{"f460b0348206"}
			}, want: []string{"HUB213 warning db:named-servers"}, msg: "their owners can stop or delete them but no longer start them"},
		{name: "named-servers-unreadable", target: "6.0.0b2", config: []config.Assignment{{File: "jupyterhub_config.py", Line: 3, Trait: "JupyterHub.allow_existing_invalid_named_servers", Op: "=", ValueKind: "env"}},
			facts: func(f *db.Facts) {
				f.InvalidServerNames, f.InvalidServerNamesExamples, f.Counts["named_servers"] = 1, []string{"Z"}, 1
				f.Revision, f.Revisions = "f460b0348206", []string{"f460b0348206"}
			}, want: []string{"HUB213 note db:named-servers"}, msg: "is set at jupyterhub_config.py:3 to a value hubaudit cannot read"},
		{name: "named-servers-5.x-target", target: "5.5.1", facts: func(f *db.Facts) { f.InvalidServerNames = 3 }},
		{name: "branched-history", facts: func(f *db.Facts) { f.Revisions = []string{"4621fec11365", "be8ecf03ddac"} },
			want: []string{"HUB203 error db:revision"}, msg: "alembic_version holds 2 revisions (4621fec11365, be8ecf03ddac)"},
		{name: "old-postgres", target: "5.5.1", facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.SQLite, f.ServerVersion = "postgresql", "postgresql", nil, "9.5.25"
		}, want: []string{"HUB218 warning db:server-version"}, msg: "PostgreSQL server 9.5.25 is older than 9.6, the oldest that SQLAlchemy 1.4+ supports, and JupyterHub 5.5.1 requires sqlalchemy>=1.4.1"},
		{name: "old-mariadb-on-1.5.1", target: "1.5.1", facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.SQLite, f.ServerVersion, f.MySQL = "mysql", "mysql+pymysql", nil, "5.5.68-MariaDB", &db.MySQLFacts{MariaDB: true}
			f.Revision, f.Revisions = "4dc2d5a8c53c", []string{"4dc2d5a8c53c"}
		}},
		{name: "current-mariadb", target: "5.5.1", facts: func(f *db.Facts) {
			f.Dialect, f.Scheme, f.SQLite, f.ServerVersion, f.MySQL = "mysql", "mysql+pymysql", nil, "10.11.19-MariaDB-0+deb12u1", &db.MySQLFacts{MariaDB: true}
		}},
		{name: "empty", facts: func(f *db.Facts) { f.Empty, f.HasAlembicTable, f.Revision, f.Revisions = true, false, "", nil },
			want: []string{"HUB204 note db:revision"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := baseFacts()
			c.facts(f)
			in := &rules.Input{Mode: rules.ModePre, KB: k, DB: f, Config: &config.Facts{Assignments: c.config}}
			if c.target != "" {
				in.Target, _ = k.Resolve(c.target)
			}
			if c.envPkg != nil {
				in.Env = &env.Facts{Environments: []env.Environment{{Role: "hub", Path: "/opt/hub", Packages: c.envPkg}}}
			}
			res := rules.Run(Rules, in, rules.Options{})
			if got, want := strings.Join(summary(res.Findings), "\n"), strings.Join(c.want, "\n"); got != want {
				t.Fatalf("findings:\n%s\nwant:\n%s", got, want)
			}
			if c.msg != "" && !strings.Contains(res.Findings[0].Message, c.msg) {
				t.Errorf("message %q\nwant it to contain %q", res.Findings[0].Message, c.msg)
			}
		})
	}
}
