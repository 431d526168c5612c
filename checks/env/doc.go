// Package env collects facts about the Python environments of the hub and
// of the users, from installed prefixes (venv, conda, system) or exported
// package lists, without running Python.
package env
