#!/usr/bin/env bash
# logs_bench.sh times hubaudit's log audit side by side with the usual
# tools on the same realistic hub log (bench/logsgen: mostly "[I ...]"
# access lines, about 1% warnings and errors of the kinds hubaudit
# recognises), plain and gzip'd:
#
#   hubaudit pre --checks 'HUB4*' --log FILE   (all its patterns, all HUB4xx rules)
#   grep -cE  with an alternation of the same messages
#   rg -c     (Debian's ripgrep) with the same alternation
#   wc -l     the read floor
#   zcat FILE.gz | grep -cE   against hubaudit on FILE.gz
#
# and peak memory (max RSS, /usr/bin/time) of hubaudit at several sizes to
# show it does not grow with the input. Run by hand, not in CI:
#
#   bench/logs_bench.sh [-n RUNS] [-s SIZES_MIB]      (default: 3 runs, sizes 100 1024 4096)
#
# Files are generated under ${BENCH_DIR:-/tmp/hubaudit-bench}, never in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=3
sizes="100 1024 4096"
while getopts "n:s:" o; do
	case $o in
	n) runs=$OPTARG ;;
	s) sizes=$OPTARG ;;
	*) exit 2 ;;
	esac
done
dir=${BENCH_DIR:-/tmp/hubaudit-bench}
mkdir -p "$dir/empty"
go build -o "$dir/hubaudit" ./cmd/hubaudit
go build -o "$dir/logsgen" ./bench/logsgen

# The same messages hubaudit looks for, as one extended regexp.
pat='Found database schema version|jupyterhub version .* != jupyterhub-singleuser|not recognized by|is deprecated|is DEPRECATED|pending deprecation|No allow config found|Traceback \(most recent call last\)|\] 5[0-9][0-9] |Failed to start proxy|appears to have stopped while the Hub was down|Can.t locate revision|Running JupyterHub version|Running upgrade|\[[EC] '

# best CMD: the best wall time in seconds over $runs runs; the max RSS
# (KiB) of that run goes to $dir/rss.
best() {
	local b="" m=""
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%e %M" -o "$dir/time.out" bash -c "$1" >"$dir/cmd.out" 2>&1 || true  # not /dev/null: GNU grep stops at the first match then
		read -r t k <"$dir/time.out"
		if [ -z "$b" ] || awk "BEGIN{exit !($t < $b)}"; then b=$t m=$k; fi
	done
	echo "$m" >"$dir/rss"
	echo "$b"
}

ha() { echo "cd '$dir/empty' && '$dir/hubaudit' pre --target 5.5.1 --checks 'HUB4*' --format json --fail-on never --log '$1'"; }

printf '%-6s %-28s %9s %9s %10s\n' size tool seconds "x grep" "max RSS"
for mib in $sizes; do
	f="$dir/hub-${mib}m.log"
	[ -s "$f" ] || "$dir/logsgen" -o "$f" -size $((mib << 20))
	[ -s "$f.gz" ] || gzip -6 -c "$f" >"$f.gz"
	cat "$f" "$f.gz" >/dev/null # warm the page cache
	t_wc=$(best "wc -l '$f'")
	t_grep=$(best "grep -cE '$pat' '$f'")
	if command -v rg >/dev/null; then t_rg=$(best "rg -c '$pat' '$f'"); else t_rg=""; fi
	t_ha=$(best "$(ha "$f")"); rss_ha=$(cat "$dir/rss")
	t_zg=$(best "zcat '$f.gz' | grep -cE '$pat'")
	t_hz=$(best "$(ha "$f.gz")"); rss_hz=$(cat "$dir/rss")
	r() { awk "BEGIN{printf \"%.2f\", $1 / $2}"; }
	printf '%-6s %-28s %9s %9s %10s\n' "${mib}M" "wc -l" "$t_wc" "$(r "$t_wc" "$t_grep")" ""
	printf '%-6s %-28s %9s %9s %10s\n' "${mib}M" "grep -cE" "$t_grep" "1.00" ""
	if [ -n "$t_rg" ]; then
		printf '%-6s %-28s %9s %9s %10s\n' "${mib}M" "rg -c" "$t_rg" "$(r "$t_rg" "$t_grep")" ""
	else
		printf '%-6s %-28s %9s\n' "${mib}M" "rg -c" "(not installed: apt-get install ripgrep)"
	fi
	printf '%-6s %-28s %9s %9s %10s\n' "${mib}M" "hubaudit (plain)" "$t_ha" "$(r "$t_ha" "$t_grep")" "$((rss_ha / 1024)) MiB"
	printf '%-6s %-28s %9s %9s %10s\n' "${mib}M" "zcat | grep -cE" "$t_zg" "" ""
	printf '%-6s %-28s %9s %9s %10s\n' "${mib}M" "hubaudit (.gz) / zcat|grep" "$t_hz" "$(r "$t_hz" "$t_zg")" "$((rss_hz / 1024)) MiB"
done
