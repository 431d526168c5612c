package main

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	_ "modernc.org/sqlite"
)

// dump lists every table with its row count and the alembic revision.
func dump(t *testing.T, path string) string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for rows.Next() {
		var n string
		rows.Scan(&n)
		names = append(names, n)
	}
	rows.Close()
	var out []string
	for _, n := range names {
		var c int
		db.QueryRow(`SELECT count(*) FROM "` + n + `"`).Scan(&c)
		out = append(out, fmt.Sprintf("%s=%d", n, c))
	}
	var rev string
	db.QueryRow(`SELECT version_num FROM alembic_version`).Scan(&rev)
	return rev + " " + strings.Join(out, " ")
}

// TestShippedDemoDatabase: the committed demo database is what the builder
// makes from the schema and rows.sql.
func TestShippedDemoDatabase(t *testing.T) {
	out := filepath.Join(t.TempDir(), "jupyterhub.sqlite")
	if err := Build(filepath.Join("..", "..", ".."), out); err != nil {
		t.Fatal(err)
	}
	got, want := dump(t, filepath.Join("..", "jupyterhub.sqlite")), dump(t, out)
	if got != want {
		t.Errorf("examples/demo/jupyterhub.sqlite is stale (go run ./examples/demo/build):\nshipped: %s\nbuilt:   %s", got, want)
	}
	if !strings.HasPrefix(want, "0eee8c825d24 ") || !strings.HasSuffix(want, " users=6") {
		t.Errorf("demo database: %s", want)
	}
}
