// Package db collects facts from a JupyterHub database (SQLite,
// PostgreSQL, MySQL/MariaDB) without ever writing to it: SQLite is opened
// read-only, servers are read inside read-only transactions.
package db
