#!/usr/bin/env bash
# Local basic_clean time: BasicCleanImages.process (decode, cut-out, white background, enhance, three PNGs) of a
# generated 2000x2000 JPEG, in one JVM after warm-up. Prints median / min / max and the mask's IoU against the
# generated truth; asserts nothing. Builds the test classes first (mvn test-compile in the reactor).
#
#   deploy/bench/basic-clean.sh [--size 2000] [--warmup 3] [--runs 7]
set -euo pipefail
# shellcheck source=../dev/lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../dev/lib.sh"

size=2000 warmup=3 runs=7
while [ $# -gt 0 ]; do
  case "$1" in
    --size) size="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    -h|--help) sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see --help)" ;;
  esac
done

cd "$ROOT"
setup_jdk
setup_maven
log "building the test classes (mvn test-compile -pl server -am)"
mvn -B -ntp -q -Dstyle.color=never -DskipTests -Dspotless.check.skip=true \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath \
  test-compile dependency:build-classpath -pl server -am || die "build failed (see Maven's output above)"

cp="server/target/test-classes:server/target/classes:$(cat server/target/bench.classpath)"
# the production heap flags' collector; 1 GB is ample for 4 MP (about 20 bytes per pixel at the peak)
java -XX:+UseG1GC -Xmx1g -cp "$cp" com.aiphoto.server.tasks.imaging.BasicCleanBench "$size" "$warmup" "$runs"
