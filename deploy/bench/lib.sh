# shellcheck shell=bash source-path=SCRIPTDIR
# Shared parts of the benchmark scripts (run.sh, targets.sh): sourced, not run; the callers `set -euo pipefail`.
# A scratch directory and database with cleanup on exit, the server's production settings, wrk and its summary
# line, RSS, the helpers compiled against the server's class path. Messages go to stderr (deploy/dev/lib.sh).
# shellcheck source=../dev/lib.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../dev/lib.sh"

BENCH_DIR="$ROOT/deploy/bench"

# wrk, the MariaDB client, curl and openssl (apt-get when missing, as root)
bench_tools() {
  command -v wrk >/dev/null 2>&1 || apt_install wrk
  command -v mariadb >/dev/null 2>&1 || apt_install mariadb-client
  command -v curl >/dev/null 2>&1 || apt_install curl
  command -v openssl >/dev/null 2>&1 || apt_install openssl
}

# Builds the server and opsctl (with their test classes, for the helpers that use the fakes of `testing`) when
# the sources are newer than the build; writes the server's test class path to server/target/bench.classpath.
bench_build() {
  if needs_build || [ ! -x opsctl/target/opsctl ] || [ ! -f server/target/bench.classpath ]; then
    setup_maven
    log "building (mvn package -DskipTests -pl server,opsctl -am)"
    mvn -B -ntp -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true \
      -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
      package dependency:build-classpath -pl server,opsctl -am || die "build failed (see Maven's output above)"
    touch "$SERVER_JAR"
  fi
  BENCH_CP="$ROOT/server/target/ai-photo-api.jar:$ROOT/server/target/libs/*"
  BENCH_TEST_CP="$ROOT/server/target/test-classes:$ROOT/testing/target/classes:$(cat "$ROOT/server/target/bench.classpath")"
}

# root's sql on the local MariaDB (BENCH_DB_USER / BENCH_DB_PASSWORD to change)
BENCH_ROOT_USER="${BENCH_DB_USER:-root}" BENCH_ROOT_PW="${BENCH_DB_PASSWORD:-}"
sql() { mariadb -h127.0.0.1 -P3306 -u"$BENCH_ROOT_USER" --password="$BENCH_ROOT_PW" -N -B "$@"; }

# Processes to stop and commands to run on exit (bench_on_exit CMD), then the scratch database, its user and the
# work directory go.
BENCH_PIDS=() BENCH_HOOKS=()
bench_on_exit() { BENCH_HOOKS+=("$1"); }
bench_cleanup() {
  local p h
  for p in "${BENCH_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${BENCH_PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  for h in "${BENCH_HOOKS[@]}"; do eval "$h" 2>/dev/null || true; done
  if [ -n "${db:-}" ] && [ "${BENCH_KEEP_DB:-0}" = 1 ]; then
    log "kept the database $db (BENCH_KEEP_DB=1); drop it and its user $db_user@127.0.0.1 when done"
  elif [ -n "${db:-}" ]; then
    sql -e "DROP DATABASE IF EXISTS $db; DROP USER IF EXISTS '$db_user'@'127.0.0.1'" 2>/dev/null || true
  fi
  [ -n "${work:-}" ] && rm -rf "$work"
}

# Sets work (0700 scratch directory), tag, db, db_user, db_pw; creates the database and its user; cleans up on exit.
bench_scratch() {
  sql -e 'select 1' >/dev/null || die "cannot log in to MariaDB on 127.0.0.1:3306 as $BENCH_ROOT_USER"
  work="$(mktemp -d /tmp/ai-photo-bench.XXXXXX)"
  tag="$(basename "$work" | tr -dc 'a-zA-Z0-9' | tail -c 6)"
  db="aiphoto_bench_$tag" db_user="aiphoto_bench_$tag"
  db_pw="$(openssl rand -hex 24)"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
  log "scratch database $db"
  sql -e "CREATE DATABASE $db CHARACTER SET utf8mb4; CREATE USER '$db_user'@'127.0.0.1' IDENTIFIED BY '$db_pw';
          GRANT ALL PRIVILEGES ON $db.* TO '$db_user'@'127.0.0.1'"
}

free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

# Production settings for the server and opsctl against the scratch database: strong random secrets, real Redis
# (own key prefix), SMS keys that are never used (no login happens), logs and local storage in the work directory.
# Sets port, admin_port, jwt_secret. WeChat Pay keys are the caller's (required in production).
bench_server_env() {
  local driver="${1:-mysql}"
  port="$(free_port)" admin_port="$(free_port)"
  jwt_secret="$(openssl rand -base64 48)"
  export APP_ENV=production HOST=127.0.0.1 PORT="$port" ADMIN_PORT="$admin_port" LOG_DIR="$work/logs" \
    DATA_DIR="$work/data" DB_HOST=127.0.0.1 DB_PORT=3306 DB_NAME="$db" DB_USER="$db_user" DB_PASSWORD="$db_pw" \
    DB_DRIVER="$driver" REDIS_HOST=127.0.0.1 REDIS_PORT=6379 REDIS_PREFIX="bench-$tag" JWT_SECRET="$jwt_secret" \
    INTERNAL_CALLBACK_SECRET="$(openssl rand -base64 48)" CREDENTIALS_ENCRYPTION_KEY="$(openssl rand -base64 32)" \
    TENCENT_SECRET_ID="bench$(openssl rand -hex 8)" TENCENT_SECRET_KEY="$(openssl rand -hex 16)" \
    SMS_SDK_APP_ID=1400000000 SMS_SIGN_NAME=bench SMS_TEMPLATE_ID=100000 SMS_ENDPOINT=http://127.0.0.1:9 \
    AI_PHOTO_CDS=off
  # the Redis keys under our prefix go too
  bench_on_exit "redis-cli -h 127.0.0.1 -p 6379 --scan --pattern 'bench-$tag*' | xargs -r redis-cli -h 127.0.0.1 -p 6379 del >/dev/null"
}

bench_migrate() {
  log "migrating (opsctl db migrate)"
  APP_ENV=development "$ROOT/opsctl/target/opsctl" db migrate --no-backup >"$work/migrate.log" 2>&1 \
    || { cat "$work/migrate.log" >&2; die "migration failed"; }
}

# Compiles the given deploy/bench/*.java into $work/classes against the server's test class path.
bench_javac() {
  local srcs=() f
  for f in "$@"; do srcs+=("$BENCH_DIR/$f"); done
  mkdir -p "$work/classes"
  javac -nowarn -d "$work/classes" -cp "$BENCH_CP:$BENCH_TEST_CP" "${srcs[@]}" >"$work/javac.log" 2>&1 \
    || { cat "$work/javac.log" >&2; die "javac of ${*} failed"; }
}

# The tests' fake WeChat Pay (Notifications.java, fresh keys under the work directory) as the coprocess PAY; exports
# the WECHAT_* settings that point the server at it (production requires WeChat Pay). Needs bench_javac first.
bench_fake_wechatpay() {
  local line
  log "starting the fake WeChat Pay (fresh keys)"
  coproc PAY { exec java -cp "$work/classes:$BENCH_CP:$BENCH_TEST_CP" Notifications "$work/wechatpay" 2>"$work/pay.err"; }
  BENCH_PIDS+=("$PAY_PID")
  # Helidon's start-up lines share the fake's stdout: take only the settings
  while IFS= read -r line <&"${PAY[0]}"; do
    [ "$line" = READY ] && break
    # shellcheck disable=SC2163
    if [[ "$line" =~ ^WECHAT_[A-Z0-9_]+= ]]; then export "$line"; fi
  done
  [ -n "${WECHAT_MCHID:-}" ] || die "the fake WeChat Pay did not start"
}

# bench_tokens FIRST COUNT FILE: access tokens for users FIRST.. (Tokens.java, the server's own AccessTokens)
bench_tokens() {
  java -cp "$work/classes:$BENCH_CP" Tokens "$jwt_secret" "$1" "$2" >"$3"
  [ "$(wc -l <"$3")" = "$2" ] || die "token generation failed"
}

# The launcher's own JVM flags (as built into it) plus $1, for JVMs started without the launcher (the bare route).
bench_launcher_opts() {
  # shellcheck disable=SC2207
  launcher_opts=($(sed -n 's/^opts=(\(.*\))$/\1/p' "$ROOT/$SERVER_LAUNCHER"))
  if [ "$JAVA_MAJOR" -ge 23 ]; then launcher_opts+=(--sun-misc-unsafe-memory-access=allow); fi
  # shellcheck disable=SC2206
  [ -n "${1:-}" ] && launcher_opts+=($1)
  log "JVM flags: ${launcher_opts[*]}"
}

rss_mb() { awk '/^VmRSS/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; }
# memory_report PID LABEL: where the RSS is, on stderr: anonymous vs file-backed (mapped jars, CDS, libraries)
# and, with BENCH_NMT=1 (which adds -XX:NativeMemoryTracking=summary to the JVM flags), the JVM's own
# committed memory per category (heap, metaspace + class space, code cache, GC, threads, ...).
memory_report() {
  log "$2 RSS: $(awk '/^(VmRSS|RssAnon|RssFile|RssShmem)/ { printf "%s %d MB  ", $1, $2 / 1024 }' "/proc/$1/status")"
  if [ -n "${BENCH_NMT:-}" ]; then
    jcmd "$1" VM.native_memory summary scale=MB 2>/dev/null \
      | awk -v l="$2" '/^(Total|-) / || /^ +- +[A-Z]/ { sub(/^[ -]+/, ""); if ($0 ~ /committed=/) printf "%s NMT: %s\n", l, $0 }' \
      | sed 's/(reserved=[0-9]*MB, //; s/)$//' >&2 || true
  fi
}
http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$@")" = 200 ]; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# bench_start_server OUT [PREFIX...]: the launcher (as it ships; it execs java, so $! is the JVM), optionally under
# PREFIX (taskset); waits up to BENCH_START_TIMEOUT seconds (180: a saturated 2-core host has taken over 60) for
# /health. Sets server_pid.
bench_start_server() {
  local out="$1" deadline
  shift
  JAVA_OPTS="${java_opts:-}" "$@" "$ROOT/$SERVER_LAUNCHER" >"$out" 2>&1 &
  server_pid=$!
  BENCH_PIDS+=("$server_pid")
  deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-180}))
  until http_ok "http://127.0.0.1:$PORT/health"; do
    # in production the reason is in error.log, not on the console
    kill -0 "$server_pid" 2>/dev/null \
      || { cat "$out" >&2; tail -5 "$LOG_DIR/error.log" >&2 2>/dev/null; die "server exited"; }
    [ "$SECONDS" -lt "$deadline" ] || die "server did not answer /health within ${BENCH_START_TIMEOUT:-180}s"
    sleep 0.2
  done
}

bench_stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# wrk_run PORT PATH CONNS DURATION [TOKENS] -> "rps p50 p99 errors requests" (rotate.lua; BENCH_MODE, BENCH_DATA
# and WRK_PREFIX, e.g. taskset, from the environment)
wrk_run() {
  BENCH_PATH="$2" BENCH_TOKENS="${5:-}" ${WRK_PREFIX:-} wrk -t2 -c"$3" -d"$4" --timeout 5s -s "$BENCH_DIR/rotate.lua" \
    "http://127.0.0.1:$1" 2>&1 | sed -n 's/^RESULT //p'
}

# wrk_repeat N NAME PORT PATH CONNS DURATION [TOKENS]: N wrk_run's, each logged; their result lines
wrk_repeat() {
  local n="$1" name="$2" r out
  shift 2
  for ((r = 1; r <= n; r++)); do
    out="$(wrk_run "$@")"
    [ -n "$out" ] || die "wrk gave no result for $name"
    log "  $name c=$3 run $r: rps p50 p99 errors requests = $out"
    echo "$out"
  done
}
