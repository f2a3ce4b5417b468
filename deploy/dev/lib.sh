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

# Where the test tools we unpack ourselves live (kept across runs; nothing in the repo).
TOOLS_DIR="${AI_PHOTO_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/ai-photo-dev}"

# Writes to $1 a one-entry apt sources file for Debian suite $2, copied from this machine's own Debian entry
# (deb822 or one-line form; the security archive is skipped), so no mirror is named here.
debian_sources_for_suite() {
  local out="$1" suite="$2" f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    # the first stanza whose URIs are a Debian archive other than the security one
    awk -v suite="$suite" '
      BEGIN { RS=""; FS="\n" }
      /URIs:[^\n]*debian/ && !/URIs:[^\n]*security/ {
        for (i = 1; i <= NF; i++) {
          if ($i ~ /^Suites:/) print "Suites: " suite; else if ($i !~ /^#/) print $i
        }
        found = 1; exit
      }
      END { exit !found }' "$f" >"$out" && return 0
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v suite="$suite" '$1 == "deb" && /debian/ && !/security/ {
        for (i = 2; i <= NF; i++) if ($i !~ /^\[/) { $(i + 1) = suite; break }
        print; found = 1; exit
      }
      END { exit !found }' "$f" >"$out" && return 0
  done
  return 1
}

# pebble (the ACME test server) with ACME Renewal Information: Debian trixie's 2.6 runs on bookworm (it
# needs only libc). Fetched with apt through a private sources list and unpacked with dpkg -x under
# $TOOLS_DIR; where that cannot be had, bookworm's 2.4 (no ARI: the cert tests then put a small local ARI
# server, opsctl's AriStub, in front of it, so the renewal-info tests still run). Exports PEBBLE_BIN.
ensure_pebble() {
  local dir="$TOOLS_DIR/pebble-trixie" apt_dir="$TOOLS_DIR/apt-trixie" deb
  if [ ! -x "$dir/usr/bin/pebble" ] && [ "$(id -u)" = 0 ]; then
    log "fetching pebble from Debian trixie"
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/etc" "$dir"
    local opts=(-o "Dir::Etc::SourceList=$apt_dir/etc/trixie.sources" -o Dir::Etc::SourceParts=/dev/null
      -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -o Dir::State::Status=/dev/null)
    # a deb822 file must be named *.sources for apt to read it as such
    if debian_sources_for_suite "$apt_dir/etc/trixie.sources.tmp" trixie; then
      if grep -q '^Types:' "$apt_dir/etc/trixie.sources.tmp"; then
        mv "$apt_dir/etc/trixie.sources.tmp" "$apt_dir/etc/trixie.sources"
        opts[1]="Dir::Etc::SourceList=/dev/null"
        opts[3]="Dir::Etc::SourceParts=$apt_dir/etc"
      else
        mv "$apt_dir/etc/trixie.sources.tmp" "$apt_dir/etc/trixie.list"
        opts[1]="Dir::Etc::SourceList=$apt_dir/etc/trixie.list"
      fi
      if apt-get -qq "${opts[@]}" update </dev/null >/dev/null 2>&1 \
        && (cd "$apt_dir/cache/archives" && apt-get -qq "${opts[@]}" download pebble </dev/null >/dev/null 2>&1); then
        deb="$(ls "$apt_dir"/cache/archives/pebble_*.deb 2>/dev/null | head -n1)"
        [ -n "$deb" ] && dpkg -x "$deb" "$dir"
      fi
    fi
    [ -x "$dir/usr/bin/pebble" ] || log "pebble from trixie could not be had; falling back to bookworm's"
  fi
  if [ -x "$dir/usr/bin/pebble" ] && "$dir/usr/bin/pebble" -version >/dev/null 2>&1; then
    export PEBBLE_BIN="$dir/usr/bin/pebble"
  else
    [ -x /usr/bin/pebble ] || apt_install pebble
    export PEBBLE_BIN=/usr/bin/pebble
  fi
  log "pebble at $PEBBLE_BIN"
}

# nginx for the tests of nginx/ and opsctl cert: they run it as their own child process on high ports,
# so the packaged service is neither needed nor started. Exports NGINX_BIN.
ensure_nginx() {
  [ -x /usr/sbin/nginx ] || apt_install nginx
  export NGINX_BIN=/usr/sbin/nginx
  log "nginx at $NGINX_BIN"
}
