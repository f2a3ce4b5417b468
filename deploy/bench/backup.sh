#!/usr/bin/env bash
# Backup benchmark: seeds a database shaped like production (users + refresh tokens with random hashes), then
# prints wall time, output size and peak RSS (median of RUNS runs) of
#   opsctl backup create | mariadb-dump --single-transaction > file | mariadb-dump ... | zstd -3 > file
#   opsctl backup verify | plain `mariadb db < dump.sql` restore
# Usage: deploy/bench/backup.sh [OPSCTL]   (OPSCTL: the opsctl launcher; default opsctl/target/opsctl)
# Environment: USERS (100000), TOKENS (2 x USERS), RUNS (3), BENCH_DB (aiphoto_bench), DB_HOST (127.0.0.1),
#   DB_PORT (3306), DB_USER (root), DB_PASSWORD (empty), JAVA_OPTS (e.g. -XX:TieredStopAtLevel=4 for C2),
#   KEEP=1 keeps the database and the files, SKIP_SEED=1 reuses the database.
#   BEFORE=path/to/another/opsctl: instead, compare two builds in interleaved rounds (before, after and the plain
#   tool in turn, RUNS rounds, so a changing load hits all three alike) and print each run and the ratios of the
#   medians; build "before" from another checkout (git archive main | tar -x -C DIR; mvn -pl opsctl -am package).
# Peak RSS is GNU time's maxrss: the largest process of the tree (opsctl's JVM, or the dump tool).
set -euo pipefail

root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
opsctl="${1:-$root/opsctl/target/opsctl}"
USERS="${USERS:-100000}"
TOKENS="${TOKENS:-$((USERS * 2))}"
RUNS="${RUNS:-3}"
db="${BENCH_DB:-aiphoto_bench}"
host="${DB_HOST:-127.0.0.1}" port="${DB_PORT:-3306}" user="${DB_USER:-root}" password="${DB_PASSWORD:-}"
work="$(mktemp -d "${TMPDIR:-/tmp}/backup-bench.XXXXXX")"
chmod 700 "$work"
cnf="$work/client.cnf"
printf '[client]\nhost=%s\nport=%s\nuser=%s\npassword="%s"\n' "$host" "$port" "$user" "$password" > "$cnf"
chmod 600 "$cnf"
cleanup() {
  if [ "${KEEP:-0}" != 1 ]; then
    mariadb --defaults-file="$cnf" -e "DROP DATABASE IF EXISTS \`$db\`; DROP DATABASE IF EXISTS \`${db}_restore\`" || true
    rm -rf "$work"
  fi
}
trap cleanup EXIT
sql() { mariadb --defaults-file="$cnf" "$@"; }

if [ "${SKIP_SEED:-0}" != 1 ]; then
  echo "seeding $db: $USERS users, $TOKENS refresh tokens" >&2
  sql -e "DROP DATABASE IF EXISTS \`$db\`; CREATE DATABASE \`$db\` CHARACTER SET utf8mb4"
  cat "$root"/migrations/up/V*.sql | sql "$db"
  # random hashes dominate, as in production: no compressor gets far below 0.3x on them
  sql "$db" -e "
    INSERT INTO users (phone, password_hash, nickname, role, quota_balance, created_at, updated_at)
      SELECT CONCAT('138', LPAD(seq, 8, '0')), CONCAT('\$2a\$11\$', LEFT(TO_BASE64(RANDOM_BYTES(48)), 53)),
             IF(seq % 5 = 0, NULL, CONCAT('user ', seq)), IF(seq % 1000 = 0, 'admin', 'user'), seq % 50,
             NOW(3) - INTERVAL seq SECOND, NOW(3) FROM seq_1_to_$USERS;
    INSERT INTO refresh_tokens (user_id, token_hash, family_id, expires_at, created_at, replaced_by, revoked_at)
      SELECT 1 + seq % $USERS, SHA2(CONCAT(seq, RAND()), 256), MD5(CONCAT(seq DIV 3, RAND())),
             NOW(3) + INTERVAL 30 DAY, NOW(3) - INTERVAL seq SECOND, IF(seq % 3 = 0, NULL, seq + 1),
             IF(seq % 7 = 0, NOW(3), NULL) FROM seq_1_to_$TOKENS;"
fi

export DB_HOST="$host" DB_PORT="$port" DB_USER="$user" DB_PASSWORD="$password" DB_NAME="$db" DB_PARAMS=useSSL=false
export BACKUP_DIR="$work/backups"

# run LABEL CMD...: RUNS times; prints "LABEL wall_s rss_mb" of the median run (by wall time)
measure() {
  local label="$1"; shift
  local results=()
  for _ in $(seq "$RUNS"); do
    "$@" > /dev/null 2> "$work/time"
    results+=("$(tail -1 "$work/time")")   # "wall maxrss_kb", from /usr/bin/time -f below
  done
  printf '%s\n' "${results[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p" | {
    read -r wall rss; printf '%-40s %8.1f s %8.0f MB' "$label" "$wall" "$((rss / 1024))"; }
}
t() { /usr/bin/time -f '%e %M' "$@"; }
size_mb() { printf ' %8.1f MB\n' "$(echo "$(stat -c %s "$1") / 1000000" | bc -l)"; }

m=()
dumpargs=(--single-transaction --routines --triggers --events --hex-blob --default-character-set=utf8mb4
  --no-tablespaces "$db")
if [ -n "${BEFORE:-}" ]; then
  # one timed run: prints "wall_s rss_mb"
  once() { "$@" > /dev/null 2> "$work/time" || { cat "$work/time" >&2; return 1; }; tail -1 "$work/time" | {
    read -r wall rss; echo "$wall $((rss / 1024))"; }; }
  median() { sort -n | sed -n "$(((RUNS + 1) / 2))p"; }
  printf '#!/bin/sh\nset -e\nmariadb --defaults-file=%s -e "DROP DATABASE IF EXISTS \\`%s\\`; CREATE DATABASE \\`%s\\`"\nmariadb --defaults-file=%s %s < %s\n' \
    "$cnf" "${db}_restore" "${db}_restore" "$cnf" "${db}_restore" "$work/dump.sql" > "$work/restore.sh"
  declare -A walls
  for side in before after; do
    mkdir -p "$work/$side"
    bin="$opsctl"; [ "$side" = before ] && bin="$BEFORE"
    env BACKUP_DIR="$work/$side" "$bin" -q backup create > /dev/null   # warm-up: the class-data archive
  done
  for round in $(seq "$RUNS"); do
    for what in create verify; do
      for side in before after ref; do
        bin="$opsctl"; [ "$side" = before ] && bin="$BEFORE"
        if [ "$side" = ref ] && [ "$what" = create ]; then
          r="$(once t sh -c "mariadb-dump --defaults-file=$cnf ${dumpargs[*]} > $work/dump.sql")"
        elif [ "$side" = ref ]; then
          r="$(once t sh "$work/restore.sh")"
        elif [ "$what" = create ]; then
          r="$(once t env BACKUP_DIR="$work/$side" "$bin" -q backup create)"
        else
          r="$(once t env BACKUP_DIR="$work/$side" "$bin" -q backup verify latest)"
        fi
        [ "$what" = create ] && [ "$side" != ref ] && r="$r $(stat -c %s "$(ls -t "$work/$side"/*.sql.zst | head -1)")"
        echo "round $round: $what $side: ${r} (wall s, peak RSS MB[, bytes])"
        walls[$what.$side]+="${r%% *}"$'\n'
      done
    done
  done
  for what in create verify; do
    for side in before after ref; do
      m[${#m[@]}]="$(printf '%s' "${walls[$what.$side]}" | median)"
    done
  done
  ref_c=dump ref_v=restore
  printf 'create medians: before %s s, after %s s, %s %s s: before %.2fx, after %.2fx the %s\n' \
    "${m[0]}" "${m[1]}" "$ref_c" "${m[2]}" "$(echo "${m[0]} / ${m[2]}" | bc -l)" "$(echo "${m[1]} / ${m[2]}" | bc -l)" "$ref_c"
  printf 'verify medians: before %s s, after %s s, %s %s s: before %.2fx, after %.2fx the %s\n' \
    "${m[3]}" "${m[4]}" "$ref_v" "${m[5]}" "$(echo "${m[3]} / ${m[5]}" | bc -l)" "$(echo "${m[4]} / ${m[5]}" | bc -l)" "$ref_v"
  echo "($RUNS rounds; $(nproc) cores; load average now $(cut -d' ' -f1-3 /proc/loadavg); SQL $(stat -c %s "$work/dump.sql") bytes)"
  exit 0
fi
"$opsctl" -q backup create > /dev/null   # warm-up, not counted: the launcher records its class-data archive
printf '%-40s %10s %11s %11s\n' "" wall "peak RSS" output
measure "opsctl backup create" t "$opsctl" -q backup create; size_mb "$(ls -t "$BACKUP_DIR"/*.sql.zst | head -1)"
# the launcher runs C1 only (TieredStopAtLevel=1, fastest start-up); JAVA_OPTS comes last and wins
measure "opsctl backup create, C2 (JAVA_OPTS)" t env JAVA_OPTS="${JAVA_OPTS:-} -XX:TieredStopAtLevel=4" \
  "$opsctl" -q backup create; size_mb "$(ls -t "$BACKUP_DIR"/*.sql.zst | head -1)"
measure "mariadb-dump > file" t sh -c "mariadb-dump --defaults-file=$cnf ${dumpargs[*]} > $work/dump.sql"
size_mb "$work/dump.sql"
measure "mariadb-dump | zstd -3 > file" t sh -c \
  "mariadb-dump --defaults-file=$cnf ${dumpargs[*]} | zstd -q -3 -T1 > $work/dump.sql.zst"; size_mb "$work/dump.sql.zst"
measure "opsctl backup verify" t "$opsctl" -q backup verify latest; echo
sql -e "DROP DATABASE IF EXISTS \`${db}_restore\`"
measure "mariadb db < dump.sql (restore)" t sh -c "mariadb --defaults-file=$cnf -e 'DROP DATABASE IF EXISTS \`${db}_restore\`; CREATE DATABASE \`${db}_restore\`' && mariadb --defaults-file=$cnf ${db}_restore < $work/dump.sql"; echo
echo "($RUNS runs each, medians; $(nproc) cores; SQL $(stat -c %s "$work/dump.sql") bytes)"
if [ "${LEVELS:-1}" = 1 ]; then
  echo "zstd levels on this dump, one thread (level, compressed bytes, ratio, compress and decompress speed):"
  zstd -q -b1 -e6 -T1 -i2 "$work/dump.sql" 2>&1 | tr '\r' '\n' | grep -E '^-[0-9]'
fi
