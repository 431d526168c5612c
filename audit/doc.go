// Package audit runs a whole hubaudit audit: it resolves the inputs the way
// JupyterHub would, runs the collectors (config, database, environments,
// logs, hub probe), detects the current version, runs the rules, builds the
// upgrade plan or the baseline comparison, and returns the report. It is the
// only place that knows every collector; the CLI only parses flags.
package audit
