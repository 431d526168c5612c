// Package logs collects facts from JupyterHub logs: it streams files of any
// size (plain or gzip), recognises the line formats real deployments
// produce, and turns each known message into a typed, folded event.
package logs
