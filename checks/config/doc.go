// Package config collects facts from JupyterHub configuration files
// (jupyterhub_config.py, jupyterhub_config.d/*.py, files named by
// load_subconfig, Zero to JupyterHub values.yaml) by parsing them
// statically; a config is never executed and nothing it imports is run.
//
// Python is parsed with gpython's parser, which knows the Python 3.4
// grammar. A position-preserving pre-lexer first rewrites, byte for byte
// in place, what that grammar lacks (f-strings, async/await, variable
// annotations, the walrus operator, PEP 448 unpacking, underscores in
// numbers, positional-only parameters, trailing commas after **kwargs,
// match/case, except*, type aliases and type parameters, the @ operator),
// so every line and column reported is the one in the file. A statement that
// still does not parse is reported as a ParseError with its line and a
// plain-words reason, blanked, and the rest of the file is analysed.
//
// The extractor walks the syntax tree and records every statement that
// sets or changes c.Class.trait (assignments, augmented assignments, item
// assignments, container method calls, at any nesting, through any name
// bound to get_config()), with literal values, environment lookups and
// references. Secrets are recorded as Secrets and their values redacted;
// the raw db_url is kept only in the unexported-to-JSON DBURLRaw field.
package config
