package db

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/hubaudit/hubaudit/internal/testsrv"
)

func TestParseURL(t *testing.T) {
	tests := []struct {
		in                                          string
		dialect, driver, user, pw, host, port, dbnm string
		bare                                        bool
	}{
		{"jupyterhub.sqlite", "sqlite", "", "", "", "", "", "jupyterhub.sqlite", true},
		{"sqlite:///jupyterhub.sqlite", "sqlite", "", "", "", "", "", "jupyterhub.sqlite", false},
		{"sqlite:////srv/jupyterhub/jupyterhub.sqlite", "sqlite", "", "", "", "", "", "/srv/jupyterhub/jupyterhub.sqlite", false},
		{"postgresql://hub:s3cr%40t@db.example.org:5433/jhub?sslmode=require", "postgresql", "", "hub", "s3cr@t", "db.example.org", "5433", "jhub", false},
		{"postgresql+psycopg2://hub:p/w:x@db/jhub", "postgresql", "psycopg2", "hub", "p/w:x", "db", "", "jhub", false},
		{"postgres://hub@localhost/jhub", "postgresql", "", "hub", "", "localhost", "", "jhub", false},
		{"mysql://hub:pw@mysql:3306/jhub?charset=utf8mb4", "mysql", "", "hub", "pw", "mysql", "3306", "jhub", false},
		{"mysql+pymysql://hub:pw@[::1]:3306/jhub", "mysql", "pymysql", "hub", "pw", "::1", "3306", "jhub", false},
		{"mysql+mysqldb://hub@/jhub?unix_socket=/run/mysqld/mysqld.sock", "mysql", "mysqldb", "hub", "", "", "", "jhub", false},
	}
	for _, tt := range tests {
		u, err := ParseURL(tt.in)
		if err != nil {
			t.Errorf("ParseURL(%q): %v", tt.in, err)
			continue
		}
		got := []string{u.Dialect, u.Driver, u.User, u.Password, u.Host, u.Port, u.Database}
		want := []string{tt.dialect, tt.driver, tt.user, tt.pw, tt.host, tt.port, tt.dbnm}
		if strings.Join(got, "|") != strings.Join(want, "|") || u.Bare != tt.bare {
			t.Errorf("ParseURL(%q) = %q bare=%v, want %q bare=%v", tt.in, got, u.Bare, want, tt.bare)
		}
	}
}

func TestParseURLErrors(t *testing.T) {
	for _, in := range []string{"", "oracle://u:topsecret@h/db", "postgresql://u:topsecret@h:notaport/db"} {
		_, err := ParseURL(in)
		if err == nil {
			t.Errorf("ParseURL(%q): no error", in)
			continue
		}
		if strings.Contains(err.Error(), "topsecret") {
			t.Errorf("ParseURL(%q) error leaks the password: %v", in, err)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := map[string]string{
		"postgresql://hub:s3cret@db:5432/jhub":                   "postgresql://hub:***@db:5432/jhub",
		"postgresql+psycopg2://hub:p@ss/w:rd@db/jhub?sslmode=on": "postgresql+psycopg2://hub:***@db/jhub?sslmode=on",
		"mysql+pymysql://hub@db/jhub":                            "mysql+pymysql://hub@db/jhub",
		"postgresql://db/jhub?user=hub&password=s3cret":          "postgresql://db/jhub?user=hub&password=***",
		"sqlite:///jupyterhub.sqlite":                            "sqlite:///jupyterhub.sqlite",
		"jupyterhub.sqlite":                                      "jupyterhub.sqlite",
	}
	for in, want := range tests {
		if got := Redact(in); got != want {
			t.Errorf("Redact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPostgresDSN(t *testing.T) {
	u, _ := ParseURL("postgresql+psycopg2://hub:p@ss w@db.example.org:5433/jhub?sslmode=require&client_encoding=utf8")
	want := "postgres://hub:p%40ss%20w@db.example.org:5433/jhub?sslmode=require"
	if got := PostgresDSN(u); got != want {
		t.Errorf("PostgresDSN = %q, want %q", got, want)
	}
}

func TestMySQLConfig(t *testing.T) {
	u, _ := ParseURL("mysql+pymysql://hub:pw@db/jhub?charset=utf8mb4")
	c := MySQLConfig(u, &Options{})
	if c.Addr != "db:3306" || c.User != "hub" || c.Passwd != "pw" || c.DBName != "jhub" || c.Net != "tcp" || c.Timeout != DefaultTimeout {
		t.Errorf("MySQLConfig = %+v", c)
	}
	u, _ = ParseURL("mysql://hub@/jhub?unix_socket=/run/mysqld/mysqld.sock")
	if c := MySQLConfig(u, nil); c.Net != "unix" || c.Addr != "/run/mysqld/mysqld.sock" {
		t.Errorf("unix socket: %+v", c)
	}
}

func TestDumpCommand(t *testing.T) {
	tests := map[string]string{
		"postgresql://hub:s3cret@db:5432/jhub":        "pg_dump --host=db --port=5432 --username=hub --format=custom --file=/b/x.dump jhub",
		"mysql+pymysql://hub:s3cret@db/jhub":          "mysqldump --host=db --user=hub --password --single-transaction --routines --result-file=/b/x.dump --databases jhub",
		"sqlite:///jupyterhub.sqlite":                 "hubaudit backup --to /b/x.dump",
		"postgresql://hub@/jhub?host=/run/postgresql": "pg_dump --host=/run/postgresql --username=hub --format=custom --file=/b/x.dump jhub",
	}
	for in, want := range tests {
		u, _ := ParseURL(in)
		got := DumpCommand(u, "/b/x.dump")
		if got != want {
			t.Errorf("DumpCommand(%q) = %q, want %q", in, got, want)
		}
		if strings.Contains(got, "s3cret") {
			t.Errorf("DumpCommand(%q) leaks the password", in)
		}
	}
}

func TestValidServerName(t *testing.T) {
	for name, want := range map[string]bool{
		"gpu-1": true, "a": true, "analysis": true, "a1-b2-c3": true,
		"": false, "My Project": false, "2024_course": false, "-a": false, "a-": false, "a--b": false, "Upper": false,
		"abcdefghijklmnopqrstuvwxyz1234": true, "abcdefghijklmnopqrstuvwxyz12345": false, "1abc": false, "caf\u00e9": false,
	} {
		if got := ValidServerName(name); got != want {
			t.Errorf("ValidServerName(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestInvalidNamePredicate checks that the SQL condition of each dialect
// agrees with ValidServerName.
func TestInvalidNamePredicate(t *testing.T) {
	names := []string{"gpu-1", "a", "analysis", "a1-b2-c3", "My Project", "2024_course", "-a", "a-", "a--b", "Upper", "aB",
		"abcdefghijklmnopqrstuvwxyz1234", "abcdefghijklmnopqrstuvwxyz12345", "1abc", "caf\u00e9", "a.b", "a b", "x_1"}
	check := func(t *testing.T, d *sql.DB, dialect string) {
		s := &session{dialect: dialect}
		for _, n := range names {
			var bad bool
			q := "SELECT " + s.invalidNamePredicate() + " FROM (SELECT " + s.ph(1) + " AS name) AS t"
			if dialect == "postgresql" {
				q = "SELECT " + s.invalidNamePredicate() + " FROM (SELECT CAST($1 AS text) AS name) AS t"
			}
			if err := d.QueryRow(q, n).Scan(&bad); err != nil {
				t.Fatalf("%s: %v", dialect, err)
			}
			if bad == ValidServerName(n) {
				t.Errorf("%s: name %q: sql invalid=%v, ValidServerName=%v", dialect, n, bad, ValidServerName(n))
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		d, err := sql.Open("sqlite", ":memory:")
		if err != nil {
			t.Fatal(err)
		}
		defer d.Close()
		check(t, d, "sqlite")
	})
	t.Run("postgresql", func(t *testing.T) {
		s := testsrv.SharedPostgres(t)
		check(t, s.Open(t, "postgres"), "postgresql")
	})
	t.Run("mysql", func(t *testing.T) {
		s := testsrv.SharedMariaDB(t)
		check(t, s.Open(t, "mysql"), "mysql")
	})
}

func TestRedactOddPasswords(t *testing.T) {
	for _, pw := range []string{"pa?ss", "p@ss", "p:ss/x", "p%3Fq", "?@:/"} {
		raw := "postgresql://hub:" + pw + "@db:5432/jhub?sslmode=require"
		got := Redact(raw)
		if strings.Contains(got, pw) || !strings.HasPrefix(got, "postgresql://hub:***@") {
			t.Errorf("Redact(%q) = %q", raw, got)
		}
		if u, err := ParseURL(raw); err != nil || u.Host != "db" || u.Database != "jhub" {
			t.Errorf("ParseURL(%q) = %+v, %v", raw, u, err)
		}
	}
}

// FuzzRedact checks that no input panics and that a password ParseURL
// finds never survives Redact.
func FuzzRedact(f *testing.F) {
	for _, s := range []string{"postgresql://u:secret99@h:5/db?x=1", "mysql+pymysql://u:p@ss@h/db", "sqlite:///x", "x", "a://:@", "postgresql://u:pw@h/db?password=zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		red := Redact(raw)
		u, err := ParseURL(raw)
		if err != nil {
			return
		}
		if len(u.Password) >= 6 && strings.Count(raw, u.Password) == 1 && strings.Contains(red, u.Password) {
			t.Fatalf("Redact(%q) = %q keeps the password %q", raw, red, u.Password)
		}
	})
}
