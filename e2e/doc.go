// Package e2e holds hubaudit's end-to-end test: it builds the hubaudit
// binary, creates a JupyterHub deployment in a temporary directory, runs
// the real hub (Debian's jupyterhub package with configurable-http-proxy
// from npm, installed by .ci/install-e2e.sh) on loopback ports, fills it
// through its REST API, and runs `hubaudit pre` and `hubaudit post`
// against it as a subprocess, on SQLite, PostgreSQL and MariaDB.
//
// The helpers in this package (Deployment, Prerequisites) start and stop a
// real hub; they are used only by tests. Without jupyterhub installed the
// tests skip loudly, except when CI=true, where they fail.
package e2e
