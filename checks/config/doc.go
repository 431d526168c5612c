// Package config collects facts from JupyterHub configuration files
// (jupyterhub_config.py, jupyterhub_config.d/*.py, Zero to JupyterHub
// values.yaml) by parsing them statically; a config is never executed.
package config
