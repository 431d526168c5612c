package db

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/hubaudit/hubaudit/internal/testsrv"
)

// sqlOpen opens a sqlite file read-write, for tests that damage one.
func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }

func testsrvSchema(tb testing.TB, d *sql.DB) { testsrv.CreateHubSchema(tb, d, "sqlite", "5.5.1", "") }

func testsrvHub(tb testing.TB, dir string) {
	testsrv.NewSQLiteHub(tb, filepath.Join(dir, "jupyterhub.sqlite"), "5.5.1", "", testsrv.RealisticHub())
}
