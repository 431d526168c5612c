package testsrv

import (
	"os"
	"strings"
	"testing"
)

func TestMain(m *testing.M) {
	code := m.Run()
	StopAll()
	os.Exit(code)
}

func TestPostgres(t *testing.T) {
	s := SharedPostgres(t)
	if !strings.HasPrefix(s.Version, "15") {
		t.Errorf("version %q, want PostgreSQL 15", s.Version)
	}
	db := s.CreateDatabase(t, "smoke")
	s.Exec(t, db, "CREATE TABLE t (id integer);\nINSERT INTO t VALUES (1)")
	var n int
	if err := s.Open(t, db).QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

func TestMariaDB(t *testing.T) {
	s := SharedMariaDB(t)
	if !strings.Contains(s.Version, "MariaDB") {
		t.Errorf("version %q, want MariaDB", s.Version)
	}
	db := s.CreateDatabase(t, "smoke")
	s.Exec(t, db, "CREATE TABLE t (id integer); INSERT INTO t VALUES (1)")
	var n int
	if err := s.Open(t, db).QueryRow("SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("count = %d, %v", n, err)
	}
}

func TestSplitStatements(t *testing.T) {
	got := SplitStatements("-- c\n\\restrict x\nCREATE TABLE a (\n id int\n);\nSELECT 1;\n")
	if len(got) != 2 || got[0] != "CREATE TABLE a (\n id int\n)" || got[1] != "SELECT 1" {
		t.Fatalf("got %q", got)
	}
}
