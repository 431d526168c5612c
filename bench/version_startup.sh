#!/usr/bin/env bash
# version_startup.sh times the built `hubaudit version` (process start,
# knowledge base load and validation, output), the start-up budget of
# issue 12: under 20 ms.
#
#   bench/version_startup.sh [-n RUNS]
#
# It builds the binary, runs it RUNS times (default 100) after 5 warm-up
# runs, and prints the median, mean, 90th percentile and minimum. Exit
# status 1 when the median is 20 ms or more. Times come from bash's
# EPOCHREALTIME (no process is started to read the clock).
set -euo pipefail
cd "$(dirname "$0")/.."

runs=100
if [ "${1:-}" = "-n" ]; then runs=$2; shift 2; fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go build -o "$tmp/hubaudit" ./cmd/hubaudit

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }
for _ in 1 2 3 4 5; do "$tmp/hubaudit" version >/dev/null; done
: >"$tmp/times"
for _ in $(seq "$runs"); do
	a=$(now_us)
	"$tmp/hubaudit" version >/dev/null
	b=$(now_us)
	echo $((b - a)) >>"$tmp/times"
done
sort -n "$tmp/times" | awk -v runs="$runs" '
	{ t[NR] = $1; sum += $1 }
	END {
		med = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
		p90 = t[int(NR * 0.9 + 0.5)]
		printf "hubaudit version, %d runs: median %.1f ms, mean %.1f ms, p90 %.1f ms, min %.1f ms (budget 20 ms)\n", runs, med / 1000, sum / NR / 1000, p90 / 1000, t[1] / 1000
		exit (med >= 20000)
	}'
