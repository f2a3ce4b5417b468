
here="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
java="$(find_java)" || exit 4
opts=(@OPTS@)
# Java 23+ warns on netty's sun.misc.Unsafe use unless told; older JVMs reject the flag.
if [ "$(java_major "$java")" -ge 23 ]; then opts+=(--sun-misc-unsafe-memory-access=allow); fi
# shellcheck disable=SC2206
[ -n "${JAVA_OPTS:-}" ] && opts+=(${JAVA_OPTS})
exec "$java" "${opts[@]}" -jar "$here/@JAR@" "$@"
