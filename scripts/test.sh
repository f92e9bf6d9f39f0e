#!/usr/bin/env bash
# Runs Holdfast's whole test suite against real servers. Brings up what the tests need first:
# Redis (6379), PostgreSQL (5432, trust auth, database "test") and MariaDB (3306, root without password).
# A service that is not running is started with the machine's own start command; one that is not
# installed is installed from Debian's packages, and so is chromium for the browser tests. No test skips because
# a service is missing. The test tools under tools/ (the OpenAPI linter) are installed with npm when missing. Then the
# tests of concurrent requests run again on a JDK with virtual threads, when one is installed (below).
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '[test.sh] %s\n' "$*"; }

wait_for() { # description, command...
  local what=$1; shift
  for _ in $(seq 1 60); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "$what did not come up"; return 1
}

apt_install() {
  log "installing $*"
  if [ -z "${HOLDFAST_APT_UPDATED:-}" ]; then apt-get update -qq; export HOLDFAST_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_redis() {
  command -v redis-server >/dev/null || apt_install redis-server redis-tools
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    log "starting Redis"
    mkdir -p /var/lib/redis /var/log/redis
    redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
      --dir /var/lib/redis --logfile /var/log/redis/ci.log
    wait_for Redis redis-cli -h 127.0.0.1 -p 6379 ping
  fi
}

ensure_postgres() {
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    log "starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
    wait_for PostgreSQL pg_isready -h 127.0.0.1 -p 5432 -q
  fi
  if ! psql -h 127.0.0.1 -U postgres -d test -c 'SELECT 1' >/dev/null 2>&1; then
    log "creating PostgreSQL database test"
    psql -h 127.0.0.1 -U postgres -c 'CREATE DATABASE test' >/dev/null
  fi
}

ensure_mariadb() {
  command -v mariadbd >/dev/null || apt_install mariadb-server
  if ! mariadb-admin -uroot -h 127.0.0.1 ping >/dev/null 2>&1; then
    log "starting MariaDB"
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
    wait_for MariaDB mariadb-admin -uroot -h 127.0.0.1 ping
  fi
  mariadb -uroot -h 127.0.0.1 -e 'CREATE DATABASE IF NOT EXISTS test' >/dev/null
}

# The OpenAPI linter OpenApiLintTest runs: Redocly CLI at the version tools/package-lock.json pins, in tools/node_modules.
ensure_tools() {
  if [ ! -f tools/node_modules/@redocly/cli/bin/cli.js ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    log "installing the OpenAPI linter into tools/node_modules"
    npm ci --prefix tools --no-audit --no-fund --loglevel=error >/dev/null
  fi
}

ensure_chromium() { # the browser tests drive Debian's chromium (Playwright never downloads one)
  [ -x /usr/bin/chromium ] || apt_install chromium
}

ensure_redis
ensure_postgres
ensure_mariadb
ensure_tools
ensure_chromium
log "services ready: Redis, PostgreSQL, MariaDB; tools ready: Redocly CLI, chromium"

./mvnw -B -ntp verify "$@"

# application.yml turns on virtual threads, which only Java 21 and newer have: on this build's Java 17 requests run on
# Tomcat's platform threads, and docs/operations.md recommends a current LTS for production. So the tests of
# concurrent requests run a second time, on the classes just built, on the newest JDK 21+ under /usr/lib/jvm when
# there is one (a Temurin 25 on this kind of machine); not when the command was given test options of its own.
CONCURRENCY_TESTS='BookingRace*,BookingVersusTimeOffRace*,BookingFlow*,Idempotency*,CacheAcrossInstancesTest,'\
'FailoverWithoutErrorsTest,ConcurrentFailoverBreakerTest,RemindersAcrossInstancesTest,'\
'ThousandStreamsTest,StreamLimitsTest,RedisMessages*,GuestIdentityAcrossInstancesTest,LiveAcrossInstancesTest'
NEWER_JDK=$(for home in /usr/lib/jvm/*/; do
  version=$("$home/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  if [ "${version:-0}" -ge 21 ] 2>/dev/null; then echo "$version ${home%/}"; fi
done | sort -n | tail -1 | cut -d' ' -f2)
if [ $# -gt 0 ]; then
  log "test options given: the concurrency tests ran on $(java -version 2>&1 | head -1) only"
elif [ -z "$NEWER_JDK" ]; then
  log "no JDK 21 or newer under /usr/lib/jvm: the concurrency tests ran on $(java -version 2>&1 | head -1) only"
else
  log "the concurrency tests again on $NEWER_JDK (virtual threads)"
  JAVA_HOME=$NEWER_JDK ./mvnw -B -ntp surefire:test -Dtest="$CONCURRENCY_TESTS"
fi
