// Command build writes the demo deployment's SQLite database
// (examples/demo/jupyterhub.sqlite) from examples/demo/jupyterhub.sql: the
// exact schema JupyterHub 4.1.6 creates plus the rows of a small course hub.
// Run it from the repository root: go run ./examples/demo/build
package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"
)

func main() {
	dir := filepath.Join("examples", "demo")
	if len(os.Args) > 1 {
		dir = os.Args[1]
	}
	if err := build(filepath.Join(dir, "jupyterhub.sql"), filepath.Join(dir, "jupyterhub.sqlite")); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
}

func build(sqlPath, dbPath string) error {
	script, err := os.ReadFile(sqlPath)
	if err != nil {
		return err
	}
	tmp := dbPath + ".tmp"
	os.Remove(tmp)
	db, err := sql.Open("sqlite", "file:"+tmp)
	if err != nil {
		return err
	}
	if _, err := db.Exec(string(script)); err != nil {
		db.Close()
		return err
	}
	if err := db.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, dbPath)
}
