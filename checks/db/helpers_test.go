package db

import "database/sql"

// sqlOpen opens a sqlite file read-write, for tests that damage one.
func sqlOpen(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }
