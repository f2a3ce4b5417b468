#!/usr/bin/env bash
# Notify handling latency: verify + decrypt + settle + grant of WeChat Pay notifications, N at once, against a
# local server with the production wiring (the official SDK, the notify route, the ledger) and the fake WeChat Pay
# of the tests (which signs and encrypts the notifications as WeChat does). Prints p50 / p99 / max; asserts
# nothing. Builds the test classes first (mvn test-compile in the reactor; nothing is installed).
#
#   deploy/bench/notify.sh [--rounds 10] [--concurrency 50] [--warmup 3] [--embedded]
#
# MariaDB (127.0.0.1:3306, a scratch database dropped afterwards) and Redis (127.0.0.1:6379) by default: start them
# with deploy/dev/test.sh once; --embedded uses the embedded default (H2) instead. TEST_DB_USER/PASSWORD as for tests.
set -euo pipefail
# shellcheck source=../dev/lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../dev/lib.sh"

rounds=10 concurrency=50 warmup=3 backend=mariadb
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --embedded) backend=embedded; shift ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

cd "$ROOT"
setup_jdk
setup_maven
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if [ "$backend" = mariadb ]; then
  port_open 3306 || die "no MariaDB on 127.0.0.1:3306 (deploy/dev/test.sh starts it), or use --embedded"
  port_open 6379 || die "no Redis on 127.0.0.1:6379 (deploy/dev/test.sh starts it), or use --embedded"
fi

log "building the test classes (mvn test-compile -pl server -am)"
mvn -B -ntp -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
  test-compile dependency:build-classpath -pl server -am || die "build failed (see Maven's output above)"

cp="server/target/test-classes:server/target/classes:testing/target/classes:core/target/classes"
cp="$cp:migrations/target/classes:$(cat server/target/bench.classpath)"
out="$(mktemp /tmp/notify-bench.XXXXXX.log)"
log "running $((warmup + rounds)) rounds of $concurrency notifications ($backend; output in $out)"
java -XX:+UseG1GC -Xmx512m -cp "$cp" com.aiphoto.server.payments.NotifyBench \
  "$rounds" "$concurrency" "$warmup" "$backend" >"$out" 2>&1 || { tail -40 "$out" >&2; die "the bench failed"; }
grep '^notify handling' "$out" || { tail -40 "$out" >&2; die "the bench printed no figures"; }
rm -f "$out"
