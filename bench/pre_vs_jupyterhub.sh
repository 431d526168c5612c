#!/usr/bin/env bash
# pre_vs_jupyterhub.sh times a full `hubaudit pre` against `jupyterhub
# --version` (Debian's jupyterhub package, which only imports JupyterHub and
# prints its version), side by side, and prints the ratio.
#
#   bench/pre_vs_jupyterhub.sh [-n RUNS] [-- hubaudit pre arguments]
#
# Without pre arguments it audits the bundled demo deployment (config,
# SQLite database, hub and user environments) with a generated 10 MB hub
# log. Needs jupyterhub (.ci/install-e2e.sh) for the yardstick. The two
# commands alternate; the ratio is of the medians (the means are shown too).
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

# The two commands run alternately, so that a change in the machine's load
# during the measurement weighs on both alike. Times come from bash's
# EPOCHREALTIME (no process is started to read the clock).
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }
run_us() {
	local a b
	a=$(now_us)
	"$@" >/dev/null 2>&1 || true
	b=$(now_us)
	echo $((b - a))
}
"$tmp/hubaudit" pre "$@" >/dev/null 2>&1 || true # warm the page cache
jupyterhub --version >/dev/null 2>&1 || true
: >"$tmp/pre.us"
: >"$tmp/jh.us"
for _ in $(seq "$runs"); do
	run_us "$tmp/hubaudit" pre "$@" >>"$tmp/pre.us"
	run_us jupyterhub --version >>"$tmp/jh.us"
done

# stats FILE: "median mean" in milliseconds
stats() {
	sort -n "$1" | awk '{ v[NR] = $1; s += $1 } END {
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.1f %.1f\n", m / 1000, s / NR / 1000 }'
}
read -r pre_med pre_mean < <(stats "$tmp/pre.us")
read -r jh_med jh_mean < <(stats "$tmp/jh.us")
echo "hubaudit pre $*: median ${pre_med} ms, mean ${pre_mean} ms ($runs runs)"
echo "jupyterhub --version: median ${jh_med} ms, mean ${jh_mean} ms ($runs runs, alternating)"
awk -v a="$jh_med" -v b="$pre_med" -v c="$jh_mean" -v d="$pre_mean" \
	'BEGIN { printf "ratio: hubaudit pre is %.1fx faster (medians; %.1fx by means)\n", a / b, c / d }'
