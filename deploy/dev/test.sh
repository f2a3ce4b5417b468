#!/usr/bin/env bash
# Runs the whole test suite (mvn -B verify; extra arguments go to Maven) after making sure the services
# the tests talk to are up on this machine: MariaDB on 127.0.0.1:3306 and Redis on 127.0.0.1:6379.
# Installs and starts what is missing (apt-get, as root), so it also works on a fresh Debian 12 and in CI.
# Also makes sure of nginx and pebble (the ACME test server), which the nginx/ and opsctl cert tests run as
# their own child processes; it exports NGINX_BIN and PEBBLE_BIN for them (see lib.sh).
# Tests read TEST_DB_HOST/PORT/USER/PASSWORD (default 127.0.0.1, 3306, root, empty password).
set -euo pipefail
# shellcheck source=lib.sh source-path=SCRIPTDIR
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/lib.sh"

started=$SECONDS
cd "$ROOT"

# True if something accepts TCP connections on 127.0.0.1:$1 (needs no client installed).
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ensure_mariadb() {
  if ! port_open 3306; then
    [ -x /usr/sbin/mariadbd ] || apt_install mariadb-server mariadb-client
    # The package normally creates the system tables; do it if it did not (or the data dir was wiped).
    if [ ! -d /var/lib/mysql/mysql ]; then
      log "initialising MariaDB data dir"
      # --force: go on even where the hostname does not resolve (it then records IPs instead).
      mariadb-install-db --user=mysql --skip-test-db --force >/dev/null || die "mariadb-install-db failed"
    fi
    # mariadbd puts its socket and pid file here; /run is a tmpfs, so it vanishes at each boot.
    install -d -o mysql -g mysql /run/mysqld
    log "starting MariaDB"
    # --output: with --background mariadbd's stderr (its error log on Debian) would be lost.
    # --user: Debian's stock config leaves `user = mysql` commented out, and mariadbd refuses to run as root.
    mkdir -p /var/log/mysql
    start-stop-daemon --start --oknodo --background --output /var/log/mysql/mariadbd.log \
      --exec /usr/sbin/mariadbd -- --user=mysql
    sleep 1   # let the forked daemon exec, so mariadb_ready's liveness check sees it
  fi
  command -v mariadb-admin >/dev/null 2>&1 || apt_install mariadb-client
  wait_for 60 "MariaDB on 127.0.0.1:3306" mariadb_ready
  log "MariaDB is up"
}

# shellcheck disable=SC2317  # called through wait_for
mariadb_ready() {
  # `ping` exits 0 once the server answers, even when it refuses our login.
  mariadb-admin -h127.0.0.1 -P3306 --connect-timeout=2 ping >/dev/null 2>&1 && return 0
  # Fail fast instead of waiting out the timeout when mariadbd died at start.
  start-stop-daemon --status --exec /usr/sbin/mariadbd \
    || die "mariadbd is not running (if this script started it, see /var/log/mysql/mariadbd.log)"
  return 1
}

db_login_works() { mariadb -h127.0.0.1 -P3306 -u"$1" --password="$2" -e 'select 1' >/dev/null 2>&1; }

# Debian's MariaDB lets root in only over the unix socket (unix_socket auth), but the tests connect over
# TCP with a password. So when root/empty fails over TCP, make a test user through the socket; it gets
# all privileges because the tests create and drop their own scratch databases.
ensure_test_user() {
  if [ -n "${TEST_DB_USER:-}" ]; then   # the caller chose credentials: only check them
    db_login_works "$TEST_DB_USER" "${TEST_DB_PASSWORD:-}" \
      || die "cannot log in to MariaDB on 127.0.0.1:3306 as TEST_DB_USER=$TEST_DB_USER"
    return
  fi
  db_login_works root "" && return
  log "root cannot log in over TCP; creating user aiphoto_test via the socket"
  mariadb -uroot <<'SQL' || die "could not create aiphoto_test via the unix socket (run as root, or set TEST_DB_USER/TEST_DB_PASSWORD)"
CREATE OR REPLACE USER 'aiphoto_test'@'localhost' IDENTIFIED BY 'aiphoto_test';
CREATE OR REPLACE USER 'aiphoto_test'@'127.0.0.1' IDENTIFIED BY 'aiphoto_test';
GRANT ALL PRIVILEGES ON *.* TO 'aiphoto_test'@'localhost';
GRANT ALL PRIVILEGES ON *.* TO 'aiphoto_test'@'127.0.0.1';
SQL
  db_login_works aiphoto_test aiphoto_test || die "aiphoto_test was created but cannot log in over TCP"
  export TEST_DB_USER=aiphoto_test TEST_DB_PASSWORD=aiphoto_test
}

redis_ready() { [ "$(redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null)" = PONG ]; }

ensure_redis() {
  if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
    apt_install redis-server
  fi
  if ! redis_ready; then
    log "starting Redis"
    # Tests need no persistence: keep nothing on disk.
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' --appendonly no >/dev/null
    wait_for 30 "Redis on 127.0.0.1:6379" redis_ready
  fi
  log "Redis is up"
}

# The packaging module's DebPackageIT reads the .deb with dpkg-deb (always on Debian) and checks the systemd
# units with systemd-analyze (the systemd package; PID 1 need not be systemd). asciidoctor turns opsctl's man
# pages into troff, which the .deb ships (without it the build keeps only the AsciiDoc).
ensure_packaging_tools() {
  command -v systemd-analyze >/dev/null 2>&1 || apt_install systemd
  command -v asciidoctor >/dev/null 2>&1 || apt_install asciidoctor
}

setup_jdk
setup_maven
ensure_packaging_tools
ensure_mariadb
ensure_test_user
ensure_redis
ensure_nginx
ensure_pebble
log "services ready after $((SECONDS - started))s; running mvn -B verify $*"

# -ntp: no download progress lines, which would swamp the log on a fresh machine (empty ~/.m2).
rc=0
mvn -B -ntp -Dstyle.color=never verify "$@" || rc=$?
log "mvn exited with $rc; total wall time $((SECONDS - started))s"
exit "$rc"
