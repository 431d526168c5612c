#!/usr/bin/env bash
# pre_vs_jupyterhub.sh times a full `hubaudit pre` against `jupyterhub
# --version` (Debian's jupyterhub package, which only imports JupyterHub and
# prints its version), side by side, and prints the ratio.
#
#   bench/pre_vs_jupyterhub.sh [-n RUNS] [-- hubaudit pre arguments]
#
# Without pre arguments it audits the bundled demo deployment (config,
# SQLite database, hub and user environments) with a generated 10 MB hub
# log. Needs jupyterhub (.ci/install-e2e.sh) for the yardstick.
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
	# The issue's setting: the bundled demo deployment (config, SQLite
	# database, a hub and a user environment) with a 10 MB hub log.
	go run ./bench/logsgen -o "$tmp/hub-10m.log" -size $((10 * 1024 * 1024)) >/dev/null
	set -- --target latest --dir examples/demo --log "$tmp/hub-10m.log" --format json
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
