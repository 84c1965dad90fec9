#!/usr/bin/env bash
# A PostgreSQL server of the project's own, for the tests and for trying the server mode locally:
# a cluster in $ZHIZAO_PG_DIR (default /tmp/zhizao-pg) on 127.0.0.1:$ZHIZAO_PG_PORT (default 54329),
# run by the `postgres` system user when called as root (PostgreSQL refuses to run as root).
# The binaries come from Debian's `postgresql` package (scripts/system-packages.txt; installed here if missing).
#
#   bash scripts/postgres.sh start     # install if needed, initdb once, start; prints the URL
#   bash scripts/postgres.sh url       # the URL of the superuser database (postgresql://zhizao@127.0.0.1:54329/postgres)
#   bash scripts/postgres.sh restart | stop | status
#
# The cluster trusts connections from this machine only (listen 127.0.0.1, trust auth): it is for
# tests and trials, never for a deployment (docs/deployment.md sets up a real one).
set -euo pipefail
DIR=${ZHIZAO_PG_DIR:-/tmp/zhizao-pg}
PORT=${ZHIZAO_PG_PORT:-54329}
ROLE=zhizao
URL="postgresql://$ROLE@127.0.0.1:$PORT/postgres"

bindir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  [ -n "$d" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  return 1
}

ensure_installed() {
  bindir >/dev/null && return
  echo "==> 安装 PostgreSQL（Debian 软件包 postgresql）/ installing PostgreSQL from Debian's archive" >&2
  local SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
  bindir >/dev/null || { echo "PostgreSQL 安装失败 / PostgreSQL could not be installed" >&2; exit 1; }
}

# Run a PostgreSQL binary as the cluster's owner: `postgres` when we are root, else ourselves.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_owner "$(bindir)/pg_ctl" -D "$DIR" status >/dev/null 2>&1; }

start() {
  ensure_installed
  local B; B=$(bindir)
  if [ ! -f "$DIR/PG_VERSION" ]; then
    mkdir -p "$DIR"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DIR"
    chmod 700 "$DIR"
    as_owner "$B/initdb" -D "$DIR" -U "$ROLE" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    {
      echo "listen_addresses = '127.0.0.1'"
      echo "port = $PORT"
      echo "unix_socket_directories = '$DIR'"
      echo "fsync = off"               # test data only: speed over durability
      echo "max_connections = 200"     # the load benchmark's 55 clients plus the test suite
    } >> "$DIR/postgresql.conf"
  fi
  if ! running; then
    as_owner "$B/pg_ctl" -D "$DIR" -l "$DIR/server.log" -w -t 60 start >/dev/null
  fi
  echo "$URL"
}

case "${1:-start}" in
  start) start ;;
  url) echo "$URL" ;;
  status) if bindir >/dev/null && [ -f "$DIR/PG_VERSION" ] && running; then echo "running $URL"; else echo "stopped"; exit 3; fi ;;
  stop) bindir >/dev/null && [ -f "$DIR/PG_VERSION" ] && running && as_owner "$(bindir)/pg_ctl" -D "$DIR" -m fast -w stop >/dev/null; echo stopped ;;
  restart) start >/dev/null; as_owner "$(bindir)/pg_ctl" -D "$DIR" -m fast -w -l "$DIR/server.log" restart >/dev/null; echo "$URL" ;;
  *) echo "usage: $0 start|url|status|restart|stop" >&2; exit 2 ;;
esac
