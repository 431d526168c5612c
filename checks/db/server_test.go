package db

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/hubaudit/hubaudit/internal/testsrv"
	"github.com/hubaudit/hubaudit/kb"
)

// serverHub creates a database on a real server with version's DDL, stamps
// it with the release's head, populates it and returns a SQLAlchemy URL for
// a user that may only SELECT.
func serverHub(t *testing.T, s *testsrv.Server, dialect, version string) (string, string) {
	t.Helper()
	rel, ok := kb.MustLoad().Release(version)
	if !ok {
		t.Fatalf("no release %s", version)
	}
	name := s.CreateDatabase(t, "jh"+strings.ReplaceAll(version, ".", ""))
	d := s.Open(t, name)
	testsrv.CreateHubSchema(t, d, dialect, version, rel.AlembicHead)
	testsrv.Populate(t, d, dialect, testsrv.RealisticHub())
	user, pw := s.CreateReadOnlyUser(t, name)
	return s.URL(name, user, pw), name
}

// sqliteFacts collects the same hub from SQLite, the reference the server
// dialects must agree with.
func sqliteFacts(t *testing.T, version string) *Facts {
	t.Helper()
	f, err := Collect(context.Background(), Options{Dir: newHub(t, version, ""), ConfigUsers: configUsers})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func tableNames(f *Facts) []string {
	var out []string
	for k := range f.Tables {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func checkServerFacts(t *testing.T, f *Facts, dialect, version, url string) {
	t.Helper()
	ref := sqliteFacts(t, version)
	if f.Dialect != dialect || f.Revision != ref.Revision || !reflect.DeepEqual(f.JupyterHubVersions, ref.JupyterHubVersions) {
		t.Errorf("dialect %s revision %s versions %v; want %s %s %v", f.Dialect, f.Revision, f.JupyterHubVersions, dialect, ref.Revision, ref.JupyterHubVersions)
	}
	if !reflect.DeepEqual(f.Counts, ref.Counts) {
		t.Errorf("counts differ from the same hub on sqlite:\n%s: %v\nsqlite: %v", dialect, f.Counts, ref.Counts)
	}
	if !reflect.DeepEqual(tableNames(f), tableNames(ref)) {
		t.Errorf("tables %v, sqlite has %v", tableNames(f), tableNames(ref))
	}
	if *f.UsersNotInConfig != 3 || f.InvalidServerNames != 2 {
		t.Errorf("users not in config %d, invalid names %d", *f.UsersNotInConfig, f.InvalidServerNames)
	}
	u, _ := ParseURL(url)
	if strings.Contains(f.URL, u.Password) || strings.Contains(f.BackupCommand, u.Password) {
		t.Errorf("password in facts: %s / %s", f.URL, f.BackupCommand)
	}
	if f.ServerVersion == "" {
		t.Error("no server version")
	}
}

func TestPostgres(t *testing.T) {
	s := testsrv.SharedPostgres(t)
	for _, v := range testsrv.SchemaVersions("postgresql") {
		t.Run(v, func(t *testing.T) {
			url, _ := serverHub(t, s, "postgresql", v)
			f, err := Collect(context.Background(), Options{URL: url + "?sslmode=disable", ConfigUsers: configUsers})
			if err != nil {
				t.Fatalf("audit as a SELECT-only user: %v", err)
			}
			checkServerFacts(t, f, "postgresql", v, url)
			if !strings.HasPrefix(f.ServerVersion, "15") {
				t.Errorf("server version %q", f.ServerVersion)
			}
		})
	}
}

func TestMariaDB(t *testing.T) {
	s := testsrv.SharedMariaDB(t)
	for _, v := range testsrv.SchemaVersions("mysql") {
		t.Run(v, func(t *testing.T) {
			url, _ := serverHub(t, s, "mysql", v)
			f, err := Collect(context.Background(), Options{URL: url + "?charset=utf8mb4", ConfigUsers: configUsers})
			if err != nil {
				t.Fatalf("audit as a SELECT-only user: %v", err)
			}
			checkServerFacts(t, f, "mysql", v, url)
			if f.MySQL == nil || !f.MySQL.MariaDB || len(f.MySQL.NonInnoDBTables) != 0 {
				t.Errorf("mysql facts %+v", f.MySQL)
			}
		})
	}
	t.Run("compact-row-format", func(t *testing.T) {
		url, name := serverHub(t, s, "mysql", "5.5.1")
		s.Exec(t, name, "ALTER TABLE servers ROW_FORMAT=COMPACT")
		f, err := Collect(context.Background(), Options{URL: url})
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(f.MySQL.NarrowRowFormatTables, []string{"servers"}) {
			t.Errorf("narrow row format tables %v", f.MySQL.NarrowRowFormatTables)
		}
	})
}

// TestReadOnlyTransaction shows that the session the collector reads in
// refuses writes, even for a superuser.
func TestReadOnlyTransaction(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		start   func(testing.TB) *testsrv.Server
	}{{"postgresql", testsrv.SharedPostgres}, {"mysql", testsrv.SharedMariaDB}} {
		t.Run(tc.dialect, func(t *testing.T) {
			s := tc.start(t)
			_, name := serverHub(t, s, tc.dialect, "5.5.1")
			u, err := ParseURL(s.URL(name, "", ""))
			if err != nil {
				t.Fatal(err)
			}
			opts := &Options{}
			f := &Facts{}
			sess, err := open(context.Background(), u, opts, f)
			if err != nil {
				t.Fatal(err)
			}
			defer sess.close()
			if _, err := sess.tx.Exec("DELETE FROM users"); err == nil {
				t.Fatal("a write succeeded inside the collector's transaction")
			}
		})
	}
}

func TestServerFailures(t *testing.T) {
	ctx := context.Background()
	pg := testsrv.SharedPostgres(t)
	const secret = "Wr0ng-Secret-pw"
	t.Run("postgres-wrong-password", func(t *testing.T) {
		_, err := Collect(ctx, Options{URL: pg.URL("postgres", "postgres", secret) + "?sslmode=disable"})
		if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "password authentication failed") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("postgres-missing-database", func(t *testing.T) {
		_, err := Collect(ctx, Options{URL: pg.URL("nope", "", "") + "?sslmode=disable"})
		if err == nil || strings.Contains(err.Error(), pg.Password) || !strings.Contains(err.Error(), "nope") {
			t.Fatalf("err = %v", err)
		}
	})
	t.Run("postgres-not-a-hub", func(t *testing.T) {
		name := pg.CreateDatabase(t, "empty")
		f, err := Collect(ctx, Options{URL: pg.URL(name, "", "") + "?sslmode=disable"})
		if err != nil || !f.Empty || f.HasAlembicTable {
			t.Fatalf("f=%+v err=%v", f, err)
		}
	})
	t.Run("pgpassword", func(t *testing.T) {
		t.Setenv("PGPASSWORD", pg.Password)
		f, err := Collect(ctx, Options{URL: "postgresql://postgres@127.0.0.1:" + itoa(pg.Port) + "/postgres?sslmode=disable"})
		if err != nil || f.Dialect != "postgresql" {
			t.Fatalf("password from PGPASSWORD: f=%v err=%v", f, err)
		}
	})
	// Nothing listens on port 1: both of pgx's attempts (TLS, then plain
	// text, under the default sslmode=prefer) are refused, and the error
	// says so once, with the hint.
	for _, url := range []string{
		"postgresql://hub:" + secret + "@127.0.0.1:1/jhub",
		"mysql+pymysql://hub:" + secret + "@127.0.0.1:1/jhub",
	} {
		t.Run("connection-refused-"+strings.SplitN(url, ":", 2)[0], func(t *testing.T) {
			start := time.Now()
			_, err := Collect(ctx, Options{URL: url, Timeout: 2 * time.Second})
			if err == nil || strings.Contains(err.Error(), secret) || time.Since(start) > 10*time.Second {
				t.Fatalf("err = %v after %v", err, time.Since(start))
			}
			msg := err.Error()
			if strings.Count(msg, "connection refused") != 1 || strings.Contains(msg, "\n") ||
				!strings.HasSuffix(msg, "(nothing listens at that address: is the database server running, and is the host and port right?)") {
				t.Fatalf("err = %q", msg)
			}
		})
	}
	t.Run("mysql-wrong-password", func(t *testing.T) {
		m := testsrv.SharedMariaDB(t)
		_, err := Collect(ctx, Options{URL: m.URL("mysql", "root", secret)})
		if err == nil || strings.Contains(err.Error(), secret) || !strings.Contains(err.Error(), "Access denied") {
			t.Fatalf("err = %v", err)
		}
	})
}

func itoa(n int) string { return strconv.Itoa(n) }

// TestRealServerFixtures restores the dumps that real hubs wrote on
// PostgreSQL 15 and MariaDB (testdata/fixtures/db) into the test servers
// and reads them as a SELECT-only user: the facts must equal those of the
// SQLite file the same hub wrote (the fixtures hold the same content).
func TestRealServerFixtures(t *testing.T) {
	dir := filepath.Join("..", "..", "testdata", "fixtures", "db")
	for _, c := range []struct {
		dump, sqlite string
		start        func(testing.TB) *testsrv.Server
	}{
		{"jupyterhub-3.0.0.pg.sql", "jupyterhub-3.0.0.sqlite", testsrv.SharedPostgres},
		{"jupyterhub-5.5.1.mysql.sql", "jupyterhub-5.5.1.sqlite", testsrv.SharedMariaDB},
	} {
		t.Run(c.dump, func(t *testing.T) {
			dump := filepath.Join(dir, c.dump)
			if _, err := os.Stat(dump); err != nil {
				if os.Getenv("CI") == "true" {
					t.Fatalf("real fixtures missing in CI: %v", err)
				}
				t.Skipf("SKIP: real fixtures not available: %v", err)
			}
			b, err := os.ReadFile(filepath.Join(dir, c.sqlite))
			if err != nil {
				t.Fatal(err)
			}
			sqliteDir := t.TempDir()
			if err := os.WriteFile(filepath.Join(sqliteDir, "hub.sqlite"), b, 0o600); err != nil {
				t.Fatal(err)
			}
			want, err := Collect(context.Background(), Options{URL: "hub.sqlite", Dir: sqliteDir})
			if err != nil {
				t.Fatal(err)
			}
			s := c.start(t)
			name := s.CreateDatabase(t, "fixture")
			s.LoadDump(t, name, dump)
			user, pw := s.CreateReadOnlyUser(t, name)
			got, err := Collect(context.Background(), Options{URL: s.URL(name, user, pw)})
			if err != nil {
				t.Fatal(err)
			}
			if got.Revision != want.Revision || !reflect.DeepEqual(got.JupyterHubVersions, want.JupyterHubVersions) {
				t.Errorf("revision %s %v, sqlite %s %v", got.Revision, got.JupyterHubVersions, want.Revision, want.JupyterHubVersions)
			}
			if !reflect.DeepEqual(got.Counts, want.Counts) {
				t.Errorf("counts differ from the same hub on sqlite:\n%s: %v\nsqlite: %v", s.Kind, got.Counts, want.Counts)
			}
			if !reflect.DeepEqual(tableNames(got), tableNames(want)) {
				t.Errorf("tables %v, sqlite has %v", tableNames(got), tableNames(want))
			}
			if got.Counts["users"] != 5 || got.Counts["servers_running"] != 1 {
				t.Errorf("the fixture holds 5 users and 1 running server: %v", got.Counts)
			}
		})
	}
}

// TestUnreadableTable shows that a table the audit user may not read
// costs only its counts (with a warning), on PostgreSQL whose transaction
// would otherwise be aborted by the first error, and on MariaDB.
func TestUnreadableTable(t *testing.T) {
	for _, tc := range []struct {
		dialect string
		start   func(testing.TB) *testsrv.Server
		revoke  string
	}{
		{"postgresql", testsrv.SharedPostgres, "REVOKE SELECT ON api_tokens FROM %s"},
		{"mysql", testsrv.SharedMariaDB, ""},
	} {
		t.Run(tc.dialect, func(t *testing.T) {
			s := tc.start(t)
			url, name := serverHub(t, s, tc.dialect, "5.5.1")
			u, _ := ParseURL(url)
			if tc.dialect == "postgresql" {
				s.Exec(t, name, strings.Replace(tc.revoke, "%s", u.User, 1))
			} else {
				// MariaDB: replace the database-wide grant by per-table
				// grants without api_tokens.
				var grants []string
				for _, tb := range []string{"alembic_version", "users", "spawners", "servers", "groups", "roles", "services", "oauth_clients", "user_group_map", "shares", "share_codes"} {
					grants = append(grants, "GRANT SELECT ON `"+name+"`.`"+tb+"` TO '"+u.User+"'@'%'")
				}
				s.Exec(t, name, "REVOKE SELECT ON `"+name+"`.* FROM '"+u.User+"'@'%'; "+strings.Join(grants, "; "))
			}
			f, err := Collect(context.Background(), Options{URL: url + map[bool]string{true: "?sslmode=disable", false: ""}[tc.dialect == "postgresql"], ConfigUsers: configUsers})
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := f.Counts["api_tokens"]; ok && tc.dialect == "postgresql" {
				t.Errorf("api_tokens counted although unreadable")
			}
			if f.Counts["users"] != 6 || f.Counts["servers_running"] != 3 || f.InvalidServerNames != 2 {
				t.Errorf("other counts lost: %v invalid=%d warnings=%v", f.Counts, f.InvalidServerNames, f.Warnings)
			}
			if tc.dialect == "postgresql" && len(f.Warnings) == 0 {
				t.Errorf("no warning about the unreadable table")
			}
		})
	}
}
