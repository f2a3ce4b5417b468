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
# shellcheck source=../dev/lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../dev/lib.sh"

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

cd "$ROOT"
setup_jdk
command -v wrk >/dev/null 2>&1 || apt_install wrk
command -v mariadb >/dev/null 2>&1 || apt_install mariadb-client
command -v curl >/dev/null 2>&1 || apt_install curl
command -v openssl >/dev/null 2>&1 || apt_install openssl

if needs_build || [ ! -x opsctl/target/opsctl ]; then
  setup_maven
  log "building (mvn -B -q -DskipTests package)"
  mvn -B -q -Dstyle.color=never -DskipTests package || die "build failed (see Maven's output above)"
  touch "$SERVER_JAR"
fi

root_user="${BENCH_DB_USER:-root}" root_pw="${BENCH_DB_PASSWORD:-}"
sql() { mariadb -h127.0.0.1 -P3306 -u"$root_user" --password="$root_pw" -N -B "$@"; }
sql -e 'select 1' >/dev/null || die "cannot log in to MariaDB on 127.0.0.1:3306 as $root_user"

work="$(mktemp -d /tmp/ai-photo-bench.XXXXXX)"
tag="$(basename "$work" | tr -dc 'a-zA-Z0-9' | tail -c 6)"
db="aiphoto_bench_$tag" db_user="aiphoto_bench_$tag"
db_pw="$(openssl rand -hex 24)"
pids=()
general_log_was=""
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  [ -n "$general_log_was" ] && sql -e "SET GLOBAL general_log = $general_log_was" 2>/dev/null
  sql -e "DROP DATABASE IF EXISTS $db; DROP USER IF EXISTS '$db_user'@'127.0.0.1'" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "scratch database $db"
sql -e "CREATE DATABASE $db CHARACTER SET utf8mb4; CREATE USER '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_pw';
        GRANT ALL PRIVILEGES ON $db.* TO '$db_user'@'127.0.0.1'"

# Production settings: strong random secrets, real Redis (own key prefix), SMS keys that are never used
# (no login happens), logs into the scratch directory.
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}
port="$(free_port)" admin_port="$(free_port)" hello_port="$(free_port)"
jwt_secret="$(openssl rand -base64 48)"
export APP_ENV=production HOST=127.0.0.1 PORT="$port" ADMIN_PORT="$admin_port" LOG_DIR="$work/logs" \
  DATA_DIR="$work/data" DB_HOST=127.0.0.1 DB_PORT=3306 DB_NAME="$db" DB_USER="$db_user" DB_PASSWORD="$db_pw" \
  DB_DRIVER="$driver" REDIS_HOST=127.0.0.1 REDIS_PORT=6379 REDIS_PREFIX="bench-$tag" JWT_SECRET="$jwt_secret" \
  INTERNAL_CALLBACK_SECRET="$(openssl rand -base64 48)" CREDENTIALS_ENCRYPTION_KEY="$(openssl rand -base64 32)" \
  TENCENT_SECRET_ID="bench$(openssl rand -hex 8)" TENCENT_SECRET_KEY="$(openssl rand -hex 16)" \
  SMS_SDK_APP_ID=1400000000 SMS_SIGN_NAME=bench SMS_TEMPLATE_ID=100000 SMS_ENDPOINT=http://127.0.0.1:9 \
  AI_PHOTO_CDS=off
[ -n "$db_params" ] && export DB_PARAMS="$db_params"

log "migrating (opsctl db migrate)"
APP_ENV=development "$ROOT/opsctl/target/opsctl" db migrate --no-backup >"$work/migrate.log" 2>&1 \
  || { cat "$work/migrate.log" >&2; die "migration failed"; }

log "seeding 10000 users"
sql "$db" -e "SET SESSION max_recursive_iterations = 20000;
  INSERT INTO users (phone, nickname, role, member_expires_at, quota_balance, created_at, updated_at)
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000)
  SELECT CONCAT('139', LPAD(i, 8, '0')), CONCAT('user ', i), 'user',
         IF(i % 3 = 0, UTC_TIMESTAMP(3) + INTERVAL 30 DAY, NULL), i % 100, UTC_TIMESTAMP(3), UTC_TIMESTAMP(3) FROM n"
first_id="$(sql "$db" -e 'SELECT MIN(id) FROM users')"

cp="$ROOT/server/target/ai-photo-api.jar:$ROOT/server/target/libs/*"
mkdir -p "$work/classes"
javac -q -d "$work/classes" -cp "$cp" "$ROOT/deploy/bench/Tokens.java" "$ROOT/deploy/bench/Hello.java" 2>/dev/null \
  || javac -d "$work/classes" -cp "$cp" "$ROOT/deploy/bench/Tokens.java" "$ROOT/deploy/bench/Hello.java"
# 1,000 of the 10,000 users, spread over the table
java -cp "$work/classes:$cp" Tokens "$jwt_secret" "$((first_id + 5000))" 1000 >"$work/tokens"
[ "$(wc -l <"$work/tokens")" = 1000 ] || die "token generation failed"

# The launcher's own JVM flags (as built into it), for the bare route too.
# shellcheck disable=SC2207
launcher_opts=($(sed -n 's/^opts=(\(.*\))$/\1/p' "$ROOT/$SERVER_LAUNCHER"))
if [ "$JAVA_MAJOR" -ge 23 ]; then launcher_opts+=(--sun-misc-unsafe-memory-access=allow); fi
# shellcheck disable=SC2206
[ -n "$java_opts" ] && launcher_opts+=($java_opts)
log "JVM flags: ${launcher_opts[*]}"

rss_mb() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$@")" = 200 ]; }

# wrk_run PORT PATH CONNS DURATION [TOKENS] -> "rps p50 p99 errors requests"
wrk_run() {
  BENCH_PATH="$2" BENCH_TOKENS="${5:-}" wrk -t2 -c"$3" -d"$4" --timeout 5s -s "$ROOT/deploy/bench/rotate.lua" \
    "http://127.0.0.1:$1" 2>&1 | sed -n 's/^RESULT //p'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

results=()
# bench NAME PORT PATH [TOKENS]: every connection count, --runs times each; one summary line per count
bench() {
  local name="$1" p="$2" path="$3" tokens="${4:-}" c r out all
  for c in ${conns//,/ }; do
    all=""
    for ((r = 1; r <= runs; r++)); do
      out="$(wrk_run "$p" "$path" "$c" "$duration" "$tokens")"
      [ -n "$out" ] || die "wrk gave no result for $name $path"
      log "  $name $path c=$c run $r: rps p50 p99 errors = ${out% *}"
      all+="$out"$'\n'
    done
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
  # through the launcher, as it ships (it execs java, so $! is the JVM)
  JAVA_OPTS="$java_opts" "$ROOT/$SERVER_LAUNCHER" >"$work/server.out" 2>&1 &
  server_pid=$!
  pids+=("$server_pid")
  deadline=$((SECONDS + 60))
  until http_ok "http://127.0.0.1:$port/health"; do
    # in production the reason is in error.log, not on the console
    kill -0 "$server_pid" 2>/dev/null \
      || { cat "$work/server.out" >&2; tail -5 "$work/logs/error.log" >&2 2>/dev/null; die "server exited"; }
    [ "$SECONDS" -lt "$deadline" ] || die "server did not answer /health within 60s"
    sleep 0.5
  done
  http_ok -H "Authorization: Bearer $(head -1 "$work/tokens")" "http://127.0.0.1:$port/api/auth/me" \
    || die "GET /api/auth/me with a seeded user's token did not answer 200"
  sleep 3
  rss_server_idle="$(rss_mb "$server_pid")"
  log "warming up ($warmup per endpoint)"
  wrk_run "$port" /health 64 "$warmup" >/dev/null
  wrk_run "$port" /api/auth/me 64 "$warmup" "$work/tokens" >/dev/null
  count_round_trips
  bench ai-photo "$port" /health
  bench ai-photo "$port" /api/auth/me "$work/tokens"
  rss_server_load="$(rss_mb "$server_pid")"
  kill "$server_pid"; wait "$server_pid" 2>/dev/null || true
fi
if [ "$only" != server ]; then
  log "starting the bare Helidon route on 127.0.0.1:$hello_port"
  java "${launcher_opts[@]}" -cp "$work/classes:$cp" Hello "$hello_port" >"$work/hello.out" 2>&1 &
  hello_pid=$!
  pids+=("$hello_pid")
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
