// Package logs collects facts from JupyterHub logs: it streams files of any
// size (plain or gzip), recognises the line formats real deployments
// produce, and turns each known message into a typed, folded event.
//
// Inputs are files, globs, directories and standard input; rotated files
// (hub.log.2.gz, hub.log.1, hub.log) are read oldest first, and gzip is
// recognised by its magic bytes. Each physical line is split by a
// byte-level parser: the wrappers of log shippers (journald and syslog
// prefixes, docker compose and docker/kubectl RFC 3339 timestamps,
// kubectl --prefix, docker json-file and structured JSON records) are
// removed, then the hub's own "[L date time logger module:line]" prefix
// (with or without ANSI colours, with the ISO "T" date) or
// configurable-http-proxy's "[ConfigProxy] level:" prefix is recognised;
// anything else is bare text. Continuation lines (tracebacks, multi-line
// messages, tornado's indented lines) are folded into their record.
//
// Records are matched against the message formats of the knowledge base
// (kb.Messages, kb.AlembicMessages, kb.LogMessages); a cheap prefilter
// keeps the regular expressions off ordinary info lines. Tracebacks, 5xx
// access lines, proxy errors and unrecognised error records become events
// with the collector's own ids. Identical events are folded with a count
// and their first and last position. Memory is bounded whatever the input
// size, and reading problems (unreadable files, truncated gzip, binary
// data, over-long lines, gzip bombs) are reported as facts, never as
// panics.
package logs
