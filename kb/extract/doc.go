// Package extract learns a JupyterHub release's facts from JupyterHub's own
// source: a source tree (a git checkout or an unpacked sdist), an sdist
// (.tar.gz), a wheel (.whl), or an installed package (a prefix or
// virtualenv, a site-packages folder, or the jupyterhub package folder,
// with its dist-info or egg-info metadata).
//
// It derives what the knowledge base (package kb) holds for a release:
// the version, the alembic revisions and their head, Requires-Python, the
// runtime requirements, the configurable traits (class, name, trait type,
// literal default, bases) with their deprecation evidence (alias tables
// such as _deprecated_aliases, @observe handlers that warn, help-text
// markers), and which of the known log message formats the release prints.
//
// Python is read with the project's parser (checks/config.ParsePython,
// gpython's grammar with the pre-lexer for newer syntax); nothing is ever
// imported or executed. Learned facts are turned into a kb.Learned, which
// kb.KB.Learn overlays on the embedded knowledge base; kb/extract/cmd/regen
// regenerates (and checks) the committed fact tables from a git checkout of
// jupyterhub, and ReadProject reads a companion package's packaging files.
package extract
