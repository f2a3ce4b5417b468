#!/usr/bin/env bash
# Benchmarks the per-request hot path: builds if needed, makes a scratch database on the local MariaDB
# (127.0.0.1:3306, root, empty password; BENCH_DB_USER/BENCH_DB_PASSWORD to change), migrates it, seeds 10,000
# users, issues access tokens for 1,000 of them, starts ai-photo-api in production mode and a bare Helidon route
# with the same JVM flags, warms up, runs wrk and prints rps / p50 / p99 / errors per endpoint and connection
# count (median of --runs), the server's RSS idle and after load, and the database round trips per /me request.
# Everything runs on loopback and is stopped (and the scratch database dropped) on exit.
#
#   deploy/bench/run.sh [--duration 15s] [--conns 64,256] [--runs 3] [--warmup 10s] [--driver mysql|mariadb]
#                       [--java-opts "-XX:+UseSerialGC"] [--db-params "useServerPrepStmts=true"] [--only server|hello]
#
# JAVA_OPTS (or --java-opts) go to both JVMs, after the launcher's own flags.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

duration=15s conns=64,256 runs=3 warmup=10s driver=mysql java_opts="${JAVA_OPTS:-}" db_params="" only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --conns) conns="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --driver) driver="$2"; shift 2 ;;
    --java-opts) java_opts="$2"; shift 2 ;;
    --db-params) db_params="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
if [ -n "${BENCH_NMT:-}" ]; then java_opts="$java_opts -XX:NativeMemoryTracking=summary"; fi

cd "$ROOT"
setup_jdk
bench_tools
bench_build
bench_scratch
general_log_was=""
bench_on_exit '[ -n "$general_log_was" ] && sql -e "SET GLOBAL general_log = $general_log_was"'
bench_server_env "$driver"
hello_port="$(free_port)"
[ -n "$db_params" ] && export DB_PARAMS="$db_params"
bench_javac Tokens.java Hello.java Notifications.java
# production requires WeChat Pay: the tests' fake, with fresh keys (no payment happens here)
bench_fake_wechatpay

bench_migrate

log "seeding 10000 users"
sql "$db" -e "SET SESSION max_recursive_iterations = 20000;
  INSERT INTO users (phone, nickname, role, member_expires_at, quota_balance, created_at, updated_at)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
  SELECT CONCAT('139', LPAD(i, 8, '0')), CONCAT('user ', i), 'user',
         IF(i % 3 = 0, UTC_TIMESTAMP(3) + INTERVAL 30 DAY, NULL), i % 100, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM n"
first_id="$(sql "$db" -e 'SELECT MIN(id) FROM users')"

# 1,000 of the 10,000 users, spread over the table
bench_tokens "$((first_id + 5000))" 1000 "$work/tokens"

bench_launcher_opts "$java_opts"

results=()
# bench NAME PORT PATH [TOKENS]: every connection count, --runs times each; one summary line per count
bench() {
  local name="$1" p="$2" path="$3" tokens="${4:-}" c all
  for c in ${conns//,/ }; do
    all="$(wrk_repeat "$runs" "$name $path" "$p" "$path" "$c" "$duration" "$tokens")"
    results+=("$(printf '%-10s %-16s %5s %8s %8s %8s %7s   runs(rps): %s' "$name" "$path" "$c" \
      "$(awk '{print $1}' <<<"$all" | grep . | median)" "$(awk '{print $2}' <<<"$all" | grep . | median)" \
      "$(awk '{print $3}' <<<"$all" | grep . | median)" "$(awk '{s += $4} END {print s}' <<<"$all")" \
      "$(awk '{print $1}' <<<"$all" | grep . | paste -sd' ')")")
  done
}

# Round trips per /me: the general log, our scratch user's lines only, over a fixed number of requests sent
# by one curl with keep-alive (each with the next user's token).
count_round_trips() {
  local n=1000 since
  awk -v u="http://127.0.0.1:$port/api/auth/me" \
    'NR > 1 { print "next" } { printf "url = \"%s\"\nheader = \"Authorization: Bearer %s\"\noutput = /dev/null\n", u, $1 }' \
    "$work/tokens" >"$work/curl.cfg"
  general_log_was="$(sql -e 'SELECT @@general_log')"
  sql -e "SET GLOBAL log_output = CONCAT_WS(',', IF(@@log_output LIKE '%FILE%', 'FILE', NULL), 'TABLE'); SET GLOBAL general_log = 1"
  since="$(sql -e 'SELECT NOW(6)')"
  curl -s -K "$work/curl.cfg" || die "curl for the round-trip count failed"
  sleep 0.5
  sql -e "SET GLOBAL general_log = $general_log_was"
  general_log_was=""
  log "database commands for $n GET /api/auth/me (general log, user $db_user):"
  sql -e "SELECT COUNT(*) / $n, command_type, LEFT(REGEXP_REPLACE(CONVERT(argument USING utf8mb4), '[0-9]+', 'N'), 90) a
          FROM mysql.general_log WHERE event_time >= '$since' AND user_host LIKE '$db_user%'
          GROUP BY command_type, a ORDER BY 1 DESC LIMIT 20" | sed 's/^/    /' >&2
  round_trips="$(sql -e "SELECT ROUND(COUNT(*) / $n, 2) FROM mysql.general_log WHERE event_time >= '$since'
                 AND user_host LIKE '$db_user%' AND command_type NOT IN ('Connect', 'Quit')")"
  # nothing reads the log table; empty it rather than leave a copy of the run's statements behind
  sql -e "TRUNCATE TABLE mysql.general_log" 2>/dev/null || true
}

rss_server_idle="" rss_server_load="" rss_hello_idle="" rss_hello_load="" round_trips="-"
if [ "$only" != hello ]; then
  log "starting ai-photo-api (production) on 127.0.0.1:$port"
  bench_start_server "$work/server.out"
  http_ok -H "Authorization: Bearer $(head -1 "$work/tokens")" "http://127.0.0.1:$port/api/auth/me" \
    || die "GET /api/auth/me with a seeded user's token did not answer 200"
  sleep 3
  rss_server_idle="$(rss_mb "$server_pid")"
  memory_report "$server_pid" "ai-photo idle"
  log "warming up ($warmup per endpoint)"
  wrk_run "$port" /health 64 "$warmup" >/dev/null
  wrk_run "$port" /api/auth/me 64 "$warmup" "$work/tokens" >/dev/null
  count_round_trips
  bench ai-photo "$port" /health
  bench ai-photo "$port" /api/auth/me "$work/tokens"
  rss_server_load="$(rss_mb "$server_pid")"
  memory_report "$server_pid" "ai-photo after load"
  bench_stop "$server_pid"
fi
if [ "$only" != server ]; then
  log "starting the bare Helidon route on 127.0.0.1:$hello_port"
  java "${launcher_opts[@]}" -cp "$work/classes:$BENCH_CP" Hello "$hello_port" >"$work/hello.out" 2>&1 &
  hello_pid=$!
  BENCH_PIDS+=("$hello_pid")
  deadline=$((SECONDS + 30))
  until http_ok "http://127.0.0.1:$hello_port/health"; do
    [ "$SECONDS" -lt "$deadline" ] || { cat "$work/hello.out" >&2; die "bare route did not come up"; }
    sleep 0.5
  done
  sleep 3
  rss_hello_idle="$(rss_mb "$hello_pid")"
  wrk_run "$hello_port" /health 64 "$warmup" >/dev/null
  bench bare "$hello_port" /health
  rss_hello_load="$(rss_mb "$hello_pid")"
fi

echo
echo "ai-photo bench $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores, $(awk '/MemTotal/ {printf "%d MB", $2/1024}' /proc/meminfo); driver $driver${db_params:+ ($db_params)}; wrk -t2, $duration x $runs"
echo "JVM flags: ${launcher_opts[*]}${MALLOC_ARENA_MAX:+; MALLOC_ARENA_MAX=$MALLOC_ARENA_MAX}"
printf '%-10s %-16s %5s %8s %8s %8s %7s\n' target endpoint conns rps p50ms p99ms errors
printf '%s\n' "${results[@]}"
echo "RSS MB: ai-photo idle ${rss_server_idle:--} after load ${rss_server_load:--}; bare route idle ${rss_hello_idle:--} after load ${rss_hello_load:--}"
echo "database round trips per GET /api/auth/me: $round_trips"
