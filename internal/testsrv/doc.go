// Package testsrv starts real PostgreSQL and MariaDB servers for tests,
// from the binaries Debian installs (postgresql, mariadb-server), on
// 127.0.0.1 with a free port, in a temporary directory, and stops them
// when the test (or the test binary) ends.
//
// PostgreSQL refuses to run as root: when the tests run as root (a CI
// container), the data directory is handed to the "nobody" user and
// initdb and postgres run under `setpriv --reuid nobody`. MariaDB runs as
// the current user (as root with --user=root, which mariadbd accepts when
// asked explicitly).
//
// When a binary is missing the test is skipped with the reason, except
// when the environment has CI=true: then it fails, so that CI cannot pass
// without having run the server tests.
package testsrv
