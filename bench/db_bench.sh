#!/usr/bin/env bash
# db_bench.sh times hubaudit's database audit side by side with the
# sqlite3 command-line shell doing the same reads on the same file:
#
#   hubaudit pre --target 5.5.1 --checks 'HUB2*' --db sqlite:///FILE --format json
#       (process start, knowledge base, every count, PRAGMA quick_check,
#        every HUB2xx rule, the JSON report)
#   sqlite3 -readonly FILE < the same counts and PRAGMA quick_check
#
# on databases made by bench/dbgen at 1x (100,000 users, 200,000 tokens,
# 50,000 servers) and 10x that size, with peak memory (max RSS) to show
# that hubaudit's memory does not grow with row counts. Run by hand:
#
#   bench/db_bench.sh [-n RUNS]           (default 5 runs; best wall time)
#
# Files go to ${BENCH_DIR:-/tmp/hubaudit-db-bench}, never into the repo.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
while getopts "n:" o; do
	case $o in
	n) runs=$OPTARG ;;
	*) exit 2 ;;
	esac
done
dir=${BENCH_DIR:-/tmp/hubaudit-db-bench}
mkdir -p "$dir"
go build -o "$dir/hubaudit" ./cmd/hubaudit
go build -o "$dir/dbgen" ./bench/dbgen

# The reads hubaudit makes, as plain SQL for the sqlite3 shell.
cat >"$dir/audit.sql" <<'SQL'
SELECT COUNT(*), COALESCE(SUM(admin = 1), 0) FROM users;
SELECT COUNT(*), SUM(user_id IS NOT NULL), SUM(service_id IS NOT NULL), SUM(expires_at IS NOT NULL AND expires_at < datetime('now')) FROM api_tokens;
SELECT COUNT(DISTINCT service_id) FROM api_tokens WHERE service_id IS NOT NULL;
SELECT COUNT(*), SUM(server_id IS NOT NULL), SUM(name IS NOT NULL AND name <> ''), SUM(name <> '' AND server_id IS NOT NULL) FROM spawners;
SELECT COUNT(*) FROM spawners WHERE name <> '' AND (length(name) > 30 OR name NOT GLOB '[a-z]*' OR name GLOB '*[^a-z0-9-]*' OR name GLOB '*-' OR name GLOB '*--*');
SELECT COUNT(*) FROM users WHERE name IN ('user0000001', 'user0000002');
SELECT COUNT(*) FROM groups; SELECT COUNT(*) FROM roles; SELECT COUNT(*) FROM services; SELECT COUNT(*) FROM oauth_clients;
PRAGMA quick_check(1);
SQL

best() { # best wall time (s) of $runs runs of "$@"; max RSS (KiB) of the best run in $dir/rss
	local b="" r
	for _ in $(seq "$runs"); do
		/usr/bin/time -f "%e %M" -o "$dir/t" "$@" >/dev/null 2>&1 || true
		read -r s m <"$dir/t"
		if [ -z "$b" ] || awk "BEGIN{exit !($s < $b)}"; then b=$s; r=$m; fi
	done
	echo "$r" >"$dir/rss"
	echo "$b"
}

printf '| size | file | sqlite3 shell | hubaudit | × sqlite3 | hubaudit max RSS |\n| --- | --- | --- | --- | --- | --- |\n'
for scale in 1 10; do
	db="$dir/hub-$scale.sqlite"
	[ -f "$db" ] || "$dir/dbgen" -o "$db" -users $((100000 * scale)) -tokens $((200000 * scale)) -servers $((50000 * scale))
	size=$(du -m "$db" | cut -f1)
	s=$(best sqlite3 -readonly "$db" ".read $dir/audit.sql")
	h=$(best "$dir/hubaudit" pre --target 5.5.1 --checks 'HUB2*' --db "sqlite:///$db" --format json --fail-on never)
	rss=$(cat "$dir/rss")
	printf '| %dx | %d MiB | %.2f s | %.2f s | %.2f | %d MiB |\n' "$scale" "$size" "$s" "$h" "$(awk "BEGIN{print $h/$s}")" $((rss / 1024))
done
