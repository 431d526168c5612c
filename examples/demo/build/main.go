// Command build writes the demo deployment's SQLite database
// (examples/demo/jupyterhub.sqlite): the exact schema JupyterHub 4.1.6
// creates (kb/facts/schema/jupyterhub-4.1.6.sqlite.sql, the DDL real
// JupyterHub code created) plus the rows of a small course hub
// (examples/demo/rows.sql). Run it from the repository root:
//
//	go run ./examples/demo/build
package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"
)

func main() {
	root := "."
	if len(os.Args) > 1 {
		root = os.Args[1]
	}
	out := filepath.Join(root, "examples", "demo", "jupyterhub.sqlite")
	if len(os.Args) > 2 {
		out = os.Args[2]
	}
	if err := Build(root, out); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
}

// Build writes the demo database to out from the schema and rows under the
// repository root.
func Build(root, out string) error {
	var script []byte
	for _, p := range []string{
		filepath.Join(root, "kb", "facts", "schema", "jupyterhub-4.1.6.sqlite.sql"),
		filepath.Join(root, "examples", "demo", "rows.sql"),
	} {
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		script = append(append(script, b...), '\n')
	}
	tmp := out + ".tmp"
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
	return os.Rename(tmp, out)
}
