#!/usr/bin/env bash
# The speed and memory figures of targets.md in one command; prints ONE table: figure | target | measured | met?
# Builds if needed, makes a scratch database on the local MariaDB with the dataset of dataset.sh (10,000 users,
# 200,000 tasks, 20,000 orders, the ledger), then, all on loopback:
#   - server start to ready on the embedded default (H2, development), median of 3 after a start that records CDS;
#   - ai-photo-api in production (launcher + the systemd unit's JAVA_OPTS, real MariaDB + Redis, the tests' fake
#     WeChat Pay with fresh keys as the payment provider, local storage): RSS idle, warm-up, wrk on GET /health
#     (64 conns), GET /api/task/list (300 conns, 1,000 users, varied filters/pages), POST /api/task/create (100
#     conns, 2,000 other users, basic_clean of a tiny 64 px input, so each task is real but cheap), POST
#     /api/payment/wechat/notify (50 conns, each a distinct pending order, signed just before the run), RSS after;
#   - a bare Helidon route (Hello.java) with the same flags, for the /health ratio;
#   - opsctl --help with and without its class-data archive, opsctl db status against Flyway's own CLI `info`
#     (org.flywaydb:flyway-commandline from Maven Central, if it resolves), opsctl backup create against
#     mariadb-dump --single-transaction > file and | zstd -3 on the same database (time and size).
# --pin split: the server (and the bare route) on CPU 0 (taskset -c 0), wrk on CPU 1; MariaDB, Redis, opsctl and
# the dumps stay unpinned either way. Everything started is stopped, the scratch database and Redis keys removed.
#
#   deploy/bench/targets.sh [--pin none|split] [--quick] [--duration 15s] [--warmup 20s] [--runs 3]
#                           [--server-only] [--java-opts "FLAGS"]
#
# --quick: 5 s per wrk run, 3 s warm-ups, 1 run of each timed command (about 3-5 minutes in all).
# --server-only: only the production server's figures (no embedded start, bare route, opsctl or dumps).
# --java-opts: more JVM flags for the production server, after the unit's (e.g. a JFR recording).
# BENCH_KEEP_DB=1 keeps the scratch database (and prints its name) for a look afterwards.
# BENCH_START_TIMEOUT (180): seconds a server may take to answer /health.
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

pin=none duration=15s warmup=20s runs=3 drain=120 notes=10000 server_only=0 extra_opts=""
while [ $# -gt 0 ]; do
  case "$1" in
    --pin) pin="$2"; shift 2 ;;
    --quick) duration=5s warmup=3s runs=1 drain=30 notes=3000; shift ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --server-only) server_only=1; shift ;;
    --java-opts) extra_opts="$2"; shift 2 ;;
    -h|--help) sed -n '2,25p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done
case "$pin" in
  none) server_prefix=() WRK_PREFIX="" ;;
  split) server_prefix=(taskset -c 0) WRK_PREFIX="taskset -c 1" ;;
  *) die "--pin none|split" ;;
esac
[ "$pin" = none ] || [ "$(nproc)" -ge 2 ] || die "--pin split needs 2 CPUs"

cd "$ROOT"
setup_jdk
bench_tools
command -v zstd >/dev/null 2>&1 || apt_install zstd
bench_build
bench_scratch
# the production JVM options: the launcher's own plus the systemd unit's JAVA_OPTS
java_opts="$(sed -n 's/^Environment="JAVA_OPTS=\(.*\)"$/\1/p' "$ROOT/deploy/systemd/ai-photo-api@.service")"
bench_launcher_opts "$java_opts"
java_opts="$java_opts${extra_opts:+ $extra_opts}"
if [ -n "${BENCH_NMT:-}" ]; then java_opts="$java_opts -XX:NativeMemoryTracking=summary"; fi
bench_javac Tokens.java Hello.java Notifications.java

now_s() { date +%s.%N; }
# timed CMD...: wall seconds of CMD (output discarded; a failure stops the run)
timed() {
  local t0
  t0="$(now_s)"
  "$@" >/dev/null 2>"$work/timed.err" || { cat "$work/timed.err" >&2; die "failed: $*"; }
  echo "$(now_s) - $t0" | bc -l
}
# median_of N CMD...: median wall seconds of N runs
median_of() {
  local n="$1" r
  shift
  for ((r = 0; r < n; r++)); do timed "$@"; done | median
}

rows=()
# row FIGURE TARGET MEASURED MET
row() { rows+=("$(printf '| %s | %s | %s | %s |' "$1" "$2" "$3" "$4")"); }
yes_if() { if awk "BEGIN { exit !($1) }"; then echo yes; else echo "**no**"; fi; }
fmt_s() { printf '%.2f s' "$1"; }

# --- server start to ready, embedded default (development, H2 under a fresh DATA_DIR each time) ---
embedded_start() {
  local dir="$work/embedded-$1" p t0 pid deadline
  p="$(free_port)"
  mkdir -p "$dir"
  t0="$(now_s)"
  env -i PATH="$PATH" HOME="$HOME" JAVA_HOME="$JAVA_HOME" PORT="$p" ADMIN_PORT="$(free_port)" HOST=127.0.0.1 \
    DATA_DIR="$dir/data" LOG_DIR="$dir/logs" "${server_prefix[@]}" "$ROOT/$SERVER_LAUNCHER" >"$dir/out" 2>&1 &
  pid=$!
  BENCH_PIDS+=("$pid")
  deadline=$((SECONDS + ${BENCH_START_TIMEOUT:-180}))
  until http_ok "http://127.0.0.1:$p/health"; do
    kill -0 "$pid" 2>/dev/null || { cat "$dir/out" >&2; die "embedded server exited"; }
    [ "$SECONDS" -lt "$deadline" ] || { bench_stop "$pid"; die "embedded server not ready within ${BENCH_START_TIMEOUT:-180}s"; }
    sleep 0.02
  done
  echo "$(now_s) - $t0" | bc -l
  bench_stop "$pid"
}
start_ready=""
if [ "$server_only" = 0 ]; then
  log "server start to ready, embedded default (1 start to record the class-data archive, then 3 timed)"
  embedded_start 0 >/dev/null
  start_ready="$(for i in 1 2 3; do embedded_start "$i"; done | median)"
fi

# --- the dataset and the production server ---
bench_server_env mysql
export RECONCILE_AFTER=24h   # the pending orders are the notify benchmark's, not the reconciler's
bench_migrate
"$BENCH_DIR/dataset.sh" "$db"
first_id="$(sql "$db" -e 'SELECT MIN(id) FROM users')"

bench_fake_wechatpay

log "tokens: users $first_id.. (1,000 for task/list, the next 2,000 for task/create)"
bench_tokens "$first_id" 3000 "$work/tokens"
# task/list: each user with one of five filters / pages, in turn
awk -v OFS='\t' 'BEGIN { split("limit=10|limit=20&offset=10|status=succeeded|type=basic_clean&limit=5|status=failed&limit=20", q, "|") }
  NR <= 1000 { print "GET", "/api/task/list?" q[NR % 5 + 1], "", "Authorization: Bearer " $1 }' "$work/tokens" >"$work/list.data"
# task/create: basic_clean of a 64 px input each of these users uploaded (a real engine run, but small)
java -cp "$work/classes:$BENCH_CP:$BENCH_TEST_CP" com.aiphoto.server.tasks.imaging.TestPictures 64 "$work/input.png"
awk -v first="$first_id" -v OFS='\t' -v files="$DATA_DIR/files" 'NR > 1000 {
    uid = first + NR - 1
    print "POST", "/api/task/create", "{\"type\":\"basic_clean\",\"inputKey\":\"input/" uid "/bench.png\",\"params\":{\"scene\":\"scene " NR "\",\"category\":\"top\"}}", \
      "Content-Type: application/json", "Authorization: Bearer " $1
    print files "/input/" uid > "/dev/stderr"
  }' "$work/tokens" >"$work/create.data" 2>"$work/create.dirs"
while read -r d; do mkdir -p "$d" && cp "$work/input.png" "$d/bench.png"; done <"$work/create.dirs"
sql "$db" -e "SELECT id, amount_cents FROM orders WHERE status = 'pending' ORDER BY RAND() LIMIT $notes" >"$work/orders"

log "starting ai-photo-api (production, pin $pin) on 127.0.0.1:$PORT"
bench_start_server "$work/server.out" "${server_prefix[@]}"
http_ok -H "Authorization: Bearer $(head -1 "$work/tokens")" "http://127.0.0.1:$PORT/api/task/list" \
  || die "GET /api/task/list with a dataset user's token did not answer 200"
sleep 3
rss_idle="$(rss_mb "$server_pid")"
memory_report "$server_pid" "ai-photo idle"

results=""
# bench NAME PATH CONNS [DATA]: --runs wrk runs; "NAME rps p50 p99 errors requests" (medians, errors and requests summed)
bench() {
  local name="$1" path="$2" c="$3" data="${4:-}" all
  all="$(BENCH_DATA="$data" wrk_repeat "$runs" "$name" "$PORT" "$path" "$c" "$duration")"
  results+="$name $(for k in 1 2 3; do awk -v k=$k 'NF { print $k }' <<<"$all" | median; done | paste -sd' ') \
$(awk '{ e += $4; n += $5 } END { print e, n }' <<<"$all")"$'\n'
}
field() { awk -v n="$1" -v k="$2" '$1 == n { print $k }' <<<"$results"; }

# The JIT takes about a minute of load to settle: measured on /api/task/list at 64 connections, C2 used 10.9 s of
# CPU in the first 20 s, 4.2 s in the next 20 and under 1 s after, while the throughput went 387 -> 827 -> 1146
# rps. A shorter warm-up measures the compiler, not the server a long-running instance is.
log "warming up ($warmup on /health, 3 x $warmup on task/list, $warmup on task/create)"
BENCH_DATA="" wrk_run "$PORT" /health 64 "$warmup" >/dev/null
for _ in 1 2 3; do BENCH_DATA="$work/list.data" wrk_run "$PORT" / 64 "$warmup" >/dev/null; done
bench health /health 64
bench list / 300 "$work/list.data"
BENCH_DATA="$work/create.data" wrk_run "$PORT" / 16 "$warmup" >/dev/null
create_start="$(sql -e 'SELECT UTC_TIMESTAMP(3)')"
bench create / 100 "$work/create.data"
log "waiting up to ${drain}s for the engine to finish the new tasks"
deadline=$((SECONDS + drain))
while [ "$(sql "$db" -e "SELECT COUNT(*) FROM tasks WHERE status IN ('pending', 'processing')")" != 0 ] \
  && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
# the requests wrk counted plus those still in flight when it stopped
created="$(sql "$db" -e "SELECT COUNT(*) FROM tasks WHERE created_at >= '$create_start'")"
task_states="$(sql "$db" -e "SELECT GROUP_CONCAT(CONCAT(n, ' ', status) SEPARATOR ', ') FROM (SELECT status, COUNT(*) n
  FROM tasks WHERE created_at >= '$create_start' GROUP BY status) s")"

echo "sign $work/orders $work/notify.data" >&"${PAY[1]}"
line=""
until [[ "$line" =~ ^(DONE|ERROR) ]]; do IFS= read -r line <&"${PAY[0]}" || die "the fake WeChat Pay exited"; done
[ "${line%% *}" = DONE ] || die "signing the notifications failed: $line"
bench notify / 50 "$work/notify.data"
paid="$(sql "$db" -e "SELECT COUNT(*) FROM orders WHERE status = 'paid' AND paid_at >= '$create_start'")"
rss_load="$(rss_mb "$server_pid")"
memory_report "$server_pid" "ai-photo after load"
bench_stop "$server_pid"

# money never lost or doubled: every user's ledger still sums to the balance after the load
ledger_bad="$(sql "$db" -e "SELECT COUNT(*) FROM users u LEFT JOIN (SELECT user_id, SUM(delta) s FROM quota_ledger
  GROUP BY user_id) l ON l.user_id = u.id WHERE u.quota_balance <> COALESCE(l.s, 0)")"

if [ "$server_only" = 0 ]; then
  log "starting the bare Helidon route (same flags, pin $pin)"
  hello_port="$(free_port)"
  "${server_prefix[@]}" java "${launcher_opts[@]}" -cp "$work/classes:$BENCH_CP" Hello "$hello_port" >"$work/hello.out" 2>&1 &
  hello_pid=$!
  BENCH_PIDS+=("$hello_pid")
  wait_for "${BENCH_START_TIMEOUT:-180}" "the bare route" http_ok "http://127.0.0.1:$hello_port/health"
  BENCH_DATA="" wrk_run "$hello_port" /health 64 "$warmup" >/dev/null
  saved_port="$PORT" PORT="$hello_port"
  bench bare /health 64
  PORT="$saved_port"
  bench_stop "$hello_pid"

  # --- opsctl ---
  opsctl="$ROOT/opsctl/target/opsctl"
  log "opsctl --help with and without the class-data archive"
  AI_PHOTO_CDS=on "$opsctl" --help >/dev/null   # records the archive if this build has none yet
  help_cds="$(median_of $((runs + 2)) env AI_PHOTO_CDS=on "$opsctl" --help)"
  help_nocds="$(median_of $((runs + 2)) env AI_PHOTO_CDS=off "$opsctl" --help)"
  log "opsctl db status"
  AI_PHOTO_CDS=on "$opsctl" db status >/dev/null 2>&1 || true
  status_s="$(median_of "$runs" env AI_PHOTO_CDS=on "$opsctl" db status)"

  # Flyway's own CLI: the flyway-commandline jar and its dependencies from Maven Central (a throw-away pom), the
  # project's JDBC driver and MariaDB support; the tar.gz distribution is not on Central
  flyway_s="" flyway_note="not available"
  flyway_version="$(sed -n 's:.*<flyway.version>\(.*\)</flyway.version>.*:\1:p' pom.xml | head -1)"
  mkdir -p "$work/flyway"
  cat >"$work/flyway/pom.xml" <<EOF
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>flyway-cli</artifactId><version>1</version>
  <!-- Maven's nearest-wins picks an older jackson-core than flyway-commandline's jackson-databind needs -->
  <dependencyManagement><dependencies><dependency><groupId>com.fasterxml.jackson</groupId>
    <artifactId>jackson-bom</artifactId><version>2.19.1</version><type>pom</type><scope>import</scope></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-commandline</artifactId><version>${flyway_version:-11.14.1}</version></dependency>
    <dependency><groupId>org.flywaydb</groupId><artifactId>flyway-mysql</artifactId><version>${flyway_version:-11.14.1}</version></dependency>
  </dependencies>
</project>
EOF
  if [ -n "$flyway_version" ] && (cd "$work/flyway" && mvn -B -ntp -q -Dmdep.outputFile=cp.txt dependency:build-classpath) \
    >"$work/flyway/mvn.log" 2>&1; then
    fw_cp="$(cat "$work/flyway/cp.txt"):$(ls "$ROOT"/server/target/libs/mysql-connector-j-*.jar)"
    fw() {
      java -cp "$fw_cp" org.flywaydb.commandline.Main -url="jdbc:mysql://127.0.0.1:3306/$db" -user="$db_user" \
        -password="$db_pw" -locations="filesystem:$ROOT/migrations/up" -placeholderReplacement=false info
    }
    if fw >"$work/flyway/info.out" 2>&1; then
      flyway_s="$(median_of "$runs" fw)" flyway_note="Flyway CLI $flyway_version info $(fmt_s "$flyway_s")"
    else
      log "Flyway CLI info failed: $(tail -3 "$work/flyway/info.out")"
    fi
  else
    log "flyway-commandline did not resolve (see $work/flyway/mvn.log)"
  fi

  log "backup create against mariadb-dump on the dataset"
  export BACKUP_DIR="$work/backups"
  dump_args=(-h127.0.0.1 -P3306 -u"$BENCH_ROOT_USER" --password="$BENCH_ROOT_PW" --single-transaction --routines
    --triggers --events --hex-blob --default-character-set=utf8mb4 --no-tablespaces "$db")
  AI_PHOTO_CDS=on "$opsctl" -q backup create >/dev/null   # untimed: the class-data archive for this command
  backup_s="$(median_of "$runs" env AI_PHOTO_CDS=on "$opsctl" -q backup create)"
  backup_bytes="$(stat -c %s "$(ls -t "$BACKUP_DIR"/*.sql.zst | head -1)")"
  dump_s="$(median_of "$runs" sh -c 'mariadb-dump "$@" > "$0"' "$work/dump.sql" "${dump_args[@]}")"
  dump_bytes="$(stat -c %s "$work/dump.sql")"
  zstd_s="$(median_of "$runs" sh -c 'mariadb-dump "$@" | zstd -q -3 -T1 > "$0"' "$work/dump.sql.zst" "${dump_args[@]}")"
  zstd_bytes="$(stat -c %s "$work/dump.sql.zst")"
fi

# --- the table ---
rps() { field "$1" 2; }
p99() { field "$1" 4; }
errs() { field "$1" 5; }
reqs() { field "$1" 6; }
skipped="not run (--server-only)"
hr="$(if [ "$server_only" = 0 ]; then echo "$(rps health) / $(rps bare)" | bc -l; else echo 0; fi)"
mb() { echo "scale=1; $1 / 1000000" | bc -l; }
echo
echo "ai-photo targets $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo -), pin $pin;" \
  "$(nproc) CPUs ($(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)), $(awk '/MemTotal/ {printf "%d MB", $2/1024}' /proc/meminfo)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "JDK $JAVA_MAJOR, $(mariadb --version | sed 's/.*Distrib \([^,]*\).*/MariaDB \1/; s/.*from \([0-9.]*-MariaDB\).*/MariaDB \1/'), $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2); wrk -t2, $duration x $runs per figure; JVM: ${launcher_opts[*]}"
echo
echo "| figure | target | measured | met? |"
echo "|---|---|---|---|"
if [ "$server_only" = 0 ]; then
  row "GET /health throughput vs a bare Helidon route" ">= 0.8x" \
    "$(printf '%.2fx (%s vs %s rps, 64 conns)' "$hr" "$(rps health)" "$(rps bare)")" "$(yes_if "$hr >= 0.8")"
else
  row "GET /health throughput vs a bare Helidon route" ">= 0.8x" "$(rps health) rps (64 conns); bare route $skipped" "-"
fi
row "GET /api/task/list, 300 conns" "p99 < 50 ms" \
  "p99 $(p99 list) ms, p50 $(field list 3) ms, $(rps list) rps, $(errs list) errors" "$(yes_if "$(p99 list) < 50 && $(errs list) == 0")"
row "POST /api/task/create, 100 conns" "p99 < 100 ms, zero errors" \
  "p99 $(p99 create) ms, p50 $(field create 3) ms, $(rps create) rps, $(errs create) errors of $(reqs create); $created tasks made ($task_states)" \
  "$(yes_if "$(p99 create) < 100 && $(errs create) == 0")"
row "POST /api/payment/wechat/notify, 50 conns" "p99 < 50 ms" \
  "p99 $(p99 notify) ms, p50 $(field notify 3) ms, $(rps notify) rps, $(errs notify) errors of $(reqs notify); $paid orders paid of $(wc -l <"$work/orders") signed" \
  "$(yes_if "$(p99 notify) < 50 && $(errs notify) == 0")"
row "local basic_clean of a 2000x2000 JPEG" "< 1.5 s" "not run here: deploy/bench/basic-clean.sh (README)" "-"
row "server RSS idle / after the load run" "< 200 / < 512 MB" "$rss_idle / $rss_load MB" \
  "$(yes_if "$rss_idle < 200 && $rss_load < 512")"
if [ "$server_only" = 0 ]; then
  row "server start to ready (embedded default)" "< 2 s" "$(fmt_s "$start_ready") (median of 3)" "$(yes_if "$start_ready < 2")"
  row "opsctl --help with / without CDS" "< 0.3 s / < 0.8 s" "$(fmt_s "$help_cds") / $(fmt_s "$help_nocds")" \
    "$(yes_if "$help_cds < 0.3 && $help_nocds < 0.8")"
  row "opsctl db status" "< 1 s" "$(fmt_s "$status_s"); $flyway_note" "$(yes_if "$status_s < 1")"
  br="$(echo "$backup_s / $dump_s" | bc -l)" sr="$(echo "$backup_bytes / $dump_bytes" | bc -l)"
  row "opsctl backup create vs mariadb-dump > file" "<= 1.1x time, <= 0.25x size" \
    "$(printf '%.2fx (%.2f vs %.2f s), %.2fx (%s vs %s MB); mariadb-dump + zstd -3: %.2f s, %s MB' "$br" "$backup_s" "$dump_s" "$sr" \
       "$(mb "$backup_bytes")" "$(mb "$dump_bytes")" "$zstd_s" "$(mb "$zstd_bytes")")" \
    "$(yes_if "$br <= 1.1 && $sr <= 0.25")"
fi
row "ledger after the load (sum = balance, every user)" "0 mismatches" "$ledger_bad" "$(yes_if "$ledger_bad == 0")"
printf '%s\n' "${rows[@]}"
echo "(notify: WeChat Pay's handling is also measured alone by deploy/bench/notify.sh; MariaDB and Redis unpinned)"
