#!/usr/bin/env bash
# Builds the server if its sources changed since the last build, then runs it from the repo root
# (so its default ./data and ./logs land there; both are gitignored). Arguments go to the server.
# With no configuration it listens on port 3000: curl localhost:3000/health
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

cd "$ROOT"
setup_jdk

launcher="$SERVER_LAUNCHER"
jar="$SERVER_JAR"

if needs_build; then
  setup_maven
  log "building (mvn -B -q -DskipTests package)"
  mvn -B -q -Dstyle.color=never -DskipTests package || die "build failed (see Maven's output above)"
  # The jar plugin leaves an unchanged jar alone (e.g. when only opsctl changed); mark the build as done
  # so the next run does not rebuild again.
  if [ ! -f "$jar" ] || [ ! -x "$launcher" ]; then die "build finished but $jar or $launcher is missing"; fi
  touch "$jar"
else
  log "build is up to date"
fi

log "starting $launcher $*"
exec "$launcher" "$@"
