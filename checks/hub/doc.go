// Package hub probes a running JupyterHub over its REST API (the
// `--hub-url` input of `hubaudit post`). It only sends GET requests: the
// version from `api/`, the health endpoint, and, with an API token, the
// users and groups lists (following JupyterHub's pagination), which it
// counts. The token is sent in the Authorization header and never appears
// in facts or errors.
//
// An unreachable or unhealthy hub is a fact (Reachable, Healthy, Errors),
// not a collector failure: the rules judge it. Collect returns an error
// only for unusable options (no URL: checks.Absent; a malformed URL; an
// unreadable CA certificate).
package hub
