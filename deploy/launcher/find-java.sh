# find_java: prints the path of a java binary whose major version is >= ${MIN_JAVA:-21}, or fails.
# Order: $AI_PHOTO_JAVA, $JAVA_HOME, java on PATH, /usr/lib/jvm/*, /opt/java/openjdk (container images).
# Reads each JDK's `release` file rather than starting a JVM, so the look-up costs milliseconds.
java_major() {
  local bin="$1" home ver
  home="$(dirname "$(dirname "$(readlink -f "$bin")")")"
  if [ -r "$home/release" ]; then
    ver="$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")"
  else
    ver="$("$bin" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)"
  fi
  ver="${ver#1.}"
  echo "${ver%%[.+-]*}"
}

find_java() {
  local min="${MIN_JAVA:-21}" c major
  local candidates=()
  [ -n "${AI_PHOTO_JAVA:-}" ] && candidates+=("$AI_PHOTO_JAVA")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
  for c in $(ls -d /usr/lib/jvm/*/ /opt/java/openjdk/ 2>/dev/null | sort -rV); do
    candidates+=("${c%/}/bin/java")
  done
  for c in "${candidates[@]}"; do
    [ -x "$c" ] || continue
    major="$(java_major "$c")"
    if [ -n "$major" ] && [ "$major" -ge "$min" ] 2>/dev/null; then
      echo "$c"
      return 0
    fi
  done
  echo "no Java >= $min found (looked at \$AI_PHOTO_JAVA, \$JAVA_HOME, PATH, /usr/lib/jvm); install a JDK 21+ or set JAVA_HOME" >&2
  return 1
}
