package dbrules

import "database/sql"

// openRW opens a test database read-write, to damage it on purpose.
func openRW(path string) (*sql.DB, error) { return sql.Open("sqlite", path) }
