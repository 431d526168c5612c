#!/usr/bin/env bash
# pre_vs_jupyterhub.sh times a full `hubaudit pre` against `jupyterhub
# --version` (Debian's jupyterhub package, which only imports JupyterHub and
# prints its version), side by side, and prints the ratio.
#
#   bench/pre_vs_jupyterhub.sh [-n RUNS] [-- hubaudit pre arguments]
#
# Without pre arguments it audits a deployment it makes in a temporary
# directory with the real jupyterhub (config + SQLite database stamped by
# `jupyterhub token`, the hub environment /usr). Needs .ci/install-e2e.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=20
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
if [ "${1:-}" = "--" ]; then shift; fi

command -v jupyterhub >/dev/null || { echo "jupyterhub is not installed: run .ci/install-e2e.sh" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/hubaudit" ./cmd/hubaudit

if [ "$#" -eq 0 ]; then
	dep="$tmp/deploy"
	mkdir -p "$dep"
	cat >"$dep/jupyterhub_config.py" <<'PY'
c = get_config()  # noqa
c.JupyterHub.db_url = 'sqlite:///jupyterhub.sqlite'
c.JupyterHub.authenticator_class = 'dummy'
c.Authenticator.admin_users = {'admin'}
PY
	(cd "$dep" && jupyterhub token -f jupyterhub_config.py admin >/dev/null 2>&1)
	set -- --target 5.5.1 --dir "$dep" --hub-env /usr --format json
fi

# mean wall time of a command over $runs runs, in milliseconds
mean_ms() {
	local start end
	"$@" >/dev/null 2>&1 || true # warm the page cache
	start=$(date +%s%N)
	for _ in $(seq "$runs"); do "$@" >/dev/null 2>&1 || true; done
	end=$(date +%s%N)
	echo $(((end - start) / runs / 1000000))
}

pre=$(mean_ms "$tmp/hubaudit" pre "$@")
jh=$(mean_ms jupyterhub --version)
[ "$pre" -gt 0 ] || pre=1
echo "hubaudit pre $*: ${pre} ms (mean of $runs)"
echo "jupyterhub --version: ${jh} ms (mean of $runs)"
awk -v a="$jh" -v b="$pre" 'BEGIN { printf "ratio: hubaudit pre is %.1fx faster\n", a / b }'
