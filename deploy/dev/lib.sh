# shellcheck shell=bash source-path=SCRIPTDIR
# Shared helpers for deploy/dev/run.sh and deploy/dev/test.sh (sourced, not run).
# The callers set `set -euo pipefail`; everything here assumes it.

# Messages go to stderr so they never mix with a program's own output; prefixed with the caller's name.
DEV_NAME="${0##*/}"
log() { echo "$DEV_NAME: $*" >&2; }
die() { log "error: $*"; exit 1; }

# Repo root from this file's location, so the scripts work from any cwd (and through symlinks).
ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"

# apt-get install with one `apt-get update` per run at most (a fresh machine has no package lists yet).
# No stdin and no prompts: CI runs us without a terminal.
APT_UPDATED=""
apt_install() {
  [ "$(id -u)" = 0 ] || die "need root to install $* (apt-get); install it by hand or rerun as root"
  if [ -z "$APT_UPDATED" ]; then
    log "apt-get update"
    apt-get update -qq </dev/null >/dev/null || die "apt-get update failed"
    APT_UPDATED=1
  fi
  log "installing $* (apt-get)"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" </dev/null >/dev/null \
    || die "apt-get install $* failed"
}

# Runs "$@" (which should be quiet) until it succeeds or $1 seconds have passed; $2 names what we wait for.
wait_for() {
  local secs="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + secs))
  until "$@"; do
    [ "$SECONDS" -lt "$deadline" ] || die "$what did not come up within ${secs}s"
    sleep 1
  done
}

# JDK >= 21 (the default java on Debian 12 is 17, which cannot build the project). Uses the launcher's
# own find_java so the build and the launchers agree on the JVM. Exports JAVA_HOME (Maven uses it) and
# sets JAVA_MAJOR.
setup_jdk() {
  local java
  # shellcheck source=../launcher/find-java.sh
  . "$ROOT/deploy/launcher/find-java.sh"
  java="$(find_java)" || die "no JDK >= 21 found; install one (e.g. Temurin 21+) or set JAVA_HOME"
  JAVA_HOME="$(dirname "$(dirname "$(readlink -f "$java")")")"
  [ -x "$JAVA_HOME/bin/javac" ] || die "$JAVA_HOME is a JRE, not a JDK (no javac); set JAVA_HOME to a JDK >= 21"
  JAVA_MAJOR="$(java_major "$java")"
  export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
  log "using JDK $JAVA_MAJOR at $JAVA_HOME"
}

# Maven from Debian if missing. Needs setup_jdk first.
setup_maven() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
  # .mvn/jvm.config gives Maven's JVM the flags it needs on any JDK >= 21
}

# The server's build output, relative to $ROOT.
SERVER_LAUNCHER=server/target/ai-photo-api
SERVER_JAR=server/target/ai-photo-api.jar

# Rebuild only when needed: a full Maven run costs tens of seconds even when nothing changed. Run from $ROOT.
# Inputs: sources and poms of every module, the SQL in migrations/, and the launcher's shell parts.
needs_build() {
  [ -x "$SERVER_LAUNCHER" ] && [ -f "$SERVER_JAR" ] || return 0
  [ -n "$(find pom.xml ./*/pom.xml ./*/src migrations deploy/launcher -path '*/target' -prune \
           -o -newer "$SERVER_JAR" -print -quit 2>/dev/null)" ]
}
