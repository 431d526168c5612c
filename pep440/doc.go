// Package pep440 parses and compares Python package versions and version
// specifiers the way pip does (PEP 440), to the extent JupyterHub and its
// companion packages use them: release segments, pre-releases (a, b, rc),
// post and dev releases, local labels, and specifier sets such as
// ">=3.8,<4" or "~=2.0".
package pep440
