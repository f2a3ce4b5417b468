# find_java: prints the path of a java binary whose major version is >= ${MIN_JAVA:-21}, or fails.
# Order: $AI_PHOTO_JAVA, $JAVA_HOME, java on PATH, /usr/lib/jvm/*, /opt/java/openjdk (container images).
# Reads each JDK's `release` file rather than starting a JVM, so the look-up costs milliseconds.
java_major() {
  # parameter expansion and `read` instead of dirname/sed: every launcher start runs this once or twice per JDK
  # it looks at, and each forked helper costs a few milliseconds
  local bin="$1" home ver="" line
  home="$(readlink -f "$bin")"
  home="${home%/*}" && home="${home%/*}"
  if [ -r "$home/release" ]; then
    while IFS= read -r line || [ -n "$line" ]; do
      case "$line" in JAVA_VERSION=\"*) ver="${line#JAVA_VERSION=\"}"; ver="${ver%%\"*}"; break ;; esac
    done <"$home/release"
  else
    ver="$("$bin" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  ver="${ver#1.}"
  echo "${ver%%[.+-]*}"
}

find_java() {
  local min="${MIN_JAVA:-21}" c
  local candidates=()
  [ -n "${AI_PHOTO_JAVA:-}" ] && candidates+=("$AI_PHOTO_JAVA")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  c="$(command -v java 2>/dev/null)" && candidates+=("$c")
  for c in "${candidates[@]}"; do
    java_at_least "$c" "$min" && return 0
  done
  # only when none of those will do: the installed JDKs, newest first
  for c in $(ls -d /usr/lib/jvm/*/ /opt/java/openjdk/ 2>/dev/null | sort -rV); do
    java_at_least "${c%/}/bin/java" "$min" && return 0
  done
  echo "no Java >= $min found (looked at \$AI_PHOTO_JAVA, \$JAVA_HOME, PATH, /usr/lib/jvm); install a JDK 21+ or set JAVA_HOME" >&2
  return 1
}

# java_at_least BIN MIN: prints BIN and succeeds when it is an executable java of major version >= MIN
java_at_least() {
  local major
  [ -x "$1" ] || return 1
  major="$(java_major "$1")"
  if [ -n "$major" ] && [ "$major" -ge "$2" ] 2>/dev/null; then
    echo "$1"
    return 0
  fi
  return 1
}
