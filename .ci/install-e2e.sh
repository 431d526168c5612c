#!/usr/bin/env bash
# install-e2e.sh installs what the end-to-end test (package ./e2e) needs:
# a real JupyterHub (Debian's jupyterhub 3.0.0 package) with the drivers for
# PostgreSQL and MariaDB db_urls, and configurable-http-proxy from npm
# (Debian's own proxy package does not start under the installed Node.js).
# It is idempotent and quiet, and fails loudly when anything is missing.
set -euo pipefail

log() { printf 'install-e2e: %s\n' "$*" >&2; }
die() { printf 'install-e2e: ERROR: %s\n' "$*" >&2; exit 1; }

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null 2>&1 || die "not root and sudo is missing"
	SUDO="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

apt_pkgs=(jupyterhub python3-psycopg2 python3-pymysql)
# A machine may already carry a Node.js that bundles npm (e.g. nodesource);
# Debian's npm conflicts with it, so only install node/npm when absent.
command -v node >/dev/null 2>&1 || apt_pkgs+=(nodejs)
command -v npm >/dev/null 2>&1 || apt_pkgs+=(npm)
missing=()
for p in "${apt_pkgs[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
if [ "${#missing[@]}" -gt 0 ]; then
	log "apt-get install ${missing[*]}"
	$SUDO apt-get update -qq >/dev/null || die "apt-get update failed"
	$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
		die "apt-get install ${missing[*]} failed"
fi

# Debian's jupyterhub depends on its node-configurable-http-proxy, which
# does not start under a Node.js that is not Debian's, and owns
# /usr/bin/configurable-http-proxy. Install the npm one (4.x: 5.x wants
# Node >= 22) under /usr/local, which comes first on PATH; the e2e test uses
# CHP=/usr/local/bin/configurable-http-proxy explicitly.
CHP=/usr/local/bin/configurable-http-proxy
if ! "$CHP" --version >/dev/null 2>&1; then
	log "npm install -g --prefix /usr/local configurable-http-proxy@4"
	$SUDO npm install -g --prefix /usr/local --silent --no-audit --no-fund 'configurable-http-proxy@^4.6.3' >/dev/null 2>&1 ||
		die "npm install -g configurable-http-proxy failed"
fi

command -v jupyterhub >/dev/null 2>&1 || die "jupyterhub is not on PATH after install"
jupyterhub --version >/dev/null 2>&1 || die "jupyterhub --version fails"
"$CHP" --version >/dev/null 2>&1 || die "$CHP does not start"
/usr/bin/python3 -c 'import psycopg2, pymysql' 2>/dev/null || die "python3-psycopg2 / python3-pymysql not importable"
log "ok: jupyterhub $(jupyterhub --version 2>/dev/null), configurable-http-proxy $("$CHP" --version 2>/dev/null)"
