
here="$(readlink -f "${BASH_SOURCE[0]}")" && here="${here%/*}"
java="$(find_java)" || exit 4
major="$(java_major "$java")"
opts=(@OPTS@)
# Java 23+ warns on netty's sun.misc.Unsafe use unless told; older JVMs reject the flag.
if [ "$major" -ge 23 ]; then opts+=(--sun-misc-unsafe-memory-access=allow); fi

# Class-data sharing: the JVM records the classes it loads into an archive on its first exit and maps it on
# later starts (start-up roughly halves). The archive is named after the jar's build, so an upgrade makes a new
# one instead of being ignored; it goes beside the jar, or into the user's cache when that is read-only.
# AI_PHOTO_CDS=off disables it.
if [ "${AI_PHOTO_CDS:-on}" != off ]; then
  stamp="$(stat -c '%Y-%s' "$here/@JAR@" 2>/dev/null || echo 0)"
  cds_dir="$here"
  if [ ! -w "$cds_dir" ]; then cds_dir="${XDG_CACHE_HOME:-${HOME:-/nonexistent}/.cache}/ai-photo"; fi
  if { [ -d "$cds_dir" ] || mkdir -p "$cds_dir" 2>/dev/null; } && [ -w "$cds_dir" ]; then
    # -Xlog: the JVM reports classes it cannot archive on stdout, which would corrupt --json output
    opts+=(-XX:+AutoCreateSharedArchive "-XX:SharedArchiveFile=$cds_dir/@NAME@-$stamp.jsa" -Xlog:cds=off,cds+dynamic=off)
    # The archive holds what the run that recorded it loaded, and is not re-recorded after: record it on a
    # representative run (once per build, silent) rather than on whatever comes first (--version loads little).
    # The .trained marker keeps a JVM that cannot write archives from training on every start.
    train="@TRAIN@"
    jsa="$cds_dir/@NAME@-$stamp.jsa"
    # archives of earlier builds are dead weight (tens of MB each): removed when this build's is first made
    if [ ! -e "$jsa" ]; then
      find "$cds_dir" -maxdepth 1 -name '@NAME@-*.jsa*' ! -name "@NAME@-$stamp.jsa*" -delete 2>/dev/null || true
    fi
    if [ -n "$train" ] && [ ! -e "$jsa" ] && [ ! -e "$jsa.trained" ] && : >"$jsa.trained" 2>/dev/null; then
      # shellcheck disable=SC2086
      "$java" "${opts[@]}" -jar "$here/@JAR@" $train </dev/null >/dev/null 2>&1 || true
    fi
  fi
fi
# Long commands (the "command:subcommand" pairs below, from the pom's launcher.long) get launcher.long.opts too:
# flags chosen for short commands (e.g. C1 only, the fastest start) can cost a long one more than they save.
# Any adjacent pair of arguments counts, so global options may come first.
long="@LONG@" prev=""
for arg in "$@"; do
  case " $long " in *" $prev:$arg "*)
    # shellcheck disable=SC2206
    opts+=(@LONG_OPTS@); break ;;
  esac
  prev="$arg"
done
# shellcheck disable=SC2206
[ -n "${JAVA_OPTS:-}" ] && opts+=(${JAVA_OPTS})
exec "$java" "${opts[@]}" -jar "$here/@JAR@" "$@"
