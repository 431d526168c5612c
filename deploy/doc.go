// Package deploy is hubaudit's deployment model: how a hub is installed
// and run (a virtualenv, a conda prefix, a distribution-managed Python,
// The Littlest JupyterHub, docker compose, Zero to JupyterHub), detected
// from the inputs or named with --kind, and the shape of its config (bind
// URLs, base_url, proxy, spawner, where db_url points).
//
// Each kind is a value (Spec) in one table, like a rule: how it is
// detected (Probes), where it keeps its inputs (Locations), which plan
// steps it replaces and with which commands (Steps, rendered from
// text/template on Params), and which rules do not apply to it
// (NotApplicable). The upgrade plan (package audit) is built from the
// generic steps and the kind's overrides; nothing outside this table
// switches on a kind.
//
// Detection runs in two phases. Before the collectors run, Locate looks
// at the deployment directory, the named config files and a few absolute
// places (/opt/tljh) for the kinds that bring their own input locations
// (TLJH, compose, z2jh). After they ran, Describe adds what the facts
// say: the hub prefix's kind (pyvenv.cfg, conda-meta, a PEP 668
// EXTERNALLY-MANAGED marker, files owned by a Debian package), the config
// shape and the log source. Like a collector, the package reads files
// and never judges; it imports no rules.
package deploy
