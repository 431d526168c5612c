// Package db collects facts from a JupyterHub database (SQLite,
// PostgreSQL, MySQL/MariaDB) without ever writing to it: SQLite is opened
// read-only, servers are read inside read-only transactions.
//
// # URLs
//
// Collect takes db_url as JupyterHub writes it (SQLAlchemy form):
// sqlite:///relative.sqlite, sqlite:////abs/path, a bare file name,
// postgresql://, postgresql+psycopg2://, postgres:// (which SQLAlchemy
// 1.4+ rejects: reported by a rule, but still read), mysql://,
// mysql+pymysql://, mysql+mysqldb://, with query parameters. They are
// translated for modernc.org/sqlite, jackc/pgx/v5 (which also reads
// PGPASSWORD and ~/.pgpass when the URL has no password) and
// go-sql-driver/mysql. The password never appears in facts, errors or
// commands: see Redact.
//
// # Read-only SQLite
//
// The file is opened with mode=ro and query_only. A WAL database that no
// process has open (no -wal file) is also opened immutable, so SQLite
// neither creates -wal/-shm files nor needs a writable directory; when a
// -wal file exists (the hub has it open) the WAL is read through the -shm
// index like any reader does, so commits still in the WAL are seen. Tests
// prove that the database file's sha256 and the directory listing do not
// change, including as an unprivileged user in a directory it cannot
// write.
//
// # Cost
//
// Every count is computed by the database (one scan per table), named
// server names are checked by a SQL predicate, and only a handful of
// example names are read, so memory does not depend on row counts.
// PRAGMA quick_check runs on a second read-only connection in parallel;
// Options.SkipIntegrityCheck leaves it out.
//
// Backup makes a consistent copy of a SQLite database with VACUUM INTO
// (safe while the hub runs), verifies it and writes a manifest; for
// PostgreSQL and MySQL it returns the pg_dump/mysqldump command instead.
package db
