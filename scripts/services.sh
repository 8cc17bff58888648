#!/usr/bin/env bash
# Makes sure PostgreSQL and Redis answer on 127.0.0.1: use them where they answer, start them if
# installed but stopped, install them from Debian's packages if absent and we are root; otherwise say
# exactly what is missing. Safe to run any number of times.
set -euo pipefail

say() { printf 'services: %s\n' "$*"; }
die() { printf 'services: ERROR: %s\n' "$*" >&2; exit 1; }

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() {
  # No redis-cli needed: speak the protocol over bash's /dev/tcp (quietly when nothing listens).
  (
    exec 3<>/dev/tcp/127.0.0.1/6379 || exit 1
    printf 'PING\r\n' >&3
    read -r -t 2 reply <&3 || exit 1
    [[ "$reply" == +PONG* ]]
  ) 2>/dev/null
}
wait_for() {  # wait_for NAME CHECK
  for _ in $(seq 1 30); do "$2" && return 0; sleep 1; done
  die "$1 did not come up within 30 s"
}
apt_install() {
  [[ $(id -u) -eq 0 ]] || die "$* not installed; run as root or install: apt-get install -y $*"
  command -v apt-get >/dev/null || die "$* not installed and no apt-get here: install them by hand"
  say "installing $* from Debian's packages"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if pg_up; then say "PostgreSQL is up on 127.0.0.1:5432"; return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    apt_install postgresql postgresql-contrib
    local version; version=$(ls /etc/postgresql | sort -V | tail -1)
    # A fresh cluster asks for passwords over TCP; this development machine trusts loopback.
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' \
      "/etc/postgresql/$version/main/pg_hba.conf"
    say "installed PostgreSQL $version and trusted loopback connections"
  fi
  local version; version=$(ls /etc/postgresql | sort -V | tail -1)
  say "starting PostgreSQL $version"
  if [[ $(id -u) -eq 0 ]]; then
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  else
    pg_ctlcluster "$version" main start || die "cannot start PostgreSQL: start it as root"
  fi
  wait_for PostgreSQL pg_up
  say "PostgreSQL is up"
}

ensure_redis() {
  if redis_up; then say "Redis is up on 127.0.0.1:6379"; return; fi
  command -v redis-server >/dev/null || apt_install redis-server
  say "starting Redis (nothing kept on disk)"
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
    --dir /tmp --logfile /tmp/recall-redis.log >/dev/null
  wait_for Redis redis_up
  say "Redis is up"
}

ensure_postgres
ensure_redis
