#!/usr/bin/env bash
# Shared provisioning for deploy/local/up.sh, deploy/local/test.sh and .ci/run: make sure PostgreSQL, RabbitMQ and
# Keycloak are there and running on this Linux host, without Docker. Every function is idempotent.

ROOT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
RUN_DIR="$ROOT_DIR/deploy/local/.run"
KEYCLOAK_VERSION="${KEYCLOAK_VERSION:-26.5.6}"
KEYCLOAK_PORT="${KEYCLOAK_PORT:-8180}"
KEYCLOAK_HOME="${KEYCLOAK_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/revops/keycloak-$KEYCLOAK_VERSION}"
DB_HOST="${DB_HOST:-localhost}"
DB_PORT="${DB_PORT:-5432}"
DB_USER="${DB_USER:-postgres}"
SERVICE_DATABASES=(gateway lead_routing attribution feedback)

mkdir -p "$RUN_DIR"

log() { printf '\033[1;34m[revops]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[revops]\033[0m %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else die "need root for: $*"; fi
}

apt_install() {
  log "installing $* with apt-get"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

wait_port() { # host port seconds what
  local i
  for ((i = 0; i < $3; i++)); do port_open "$1" "$2" && return 0; sleep 1; done
  die "$4 did not open $1:$2 within $3 s"
}

ensure_postgres() {
  if port_open "$DB_HOST" "$DB_PORT"; then
    log "PostgreSQL is up on $DB_HOST:$DB_PORT"; ensure_postgres_connections; return
  fi
  [ "$DB_HOST" = localhost ] || [ "$DB_HOST" = 127.0.0.1 ] || die "PostgreSQL at $DB_HOST:$DB_PORT is not reachable"
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  log "starting PostgreSQL $version"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  echo "postgres $version" >>"$RUN_DIR/started-infra"
  wait_port "$DB_HOST" "$DB_PORT" 60 PostgreSQL
  # Local development trusts loopback connections; an installation we just made gets that too.
  if ! psql_admin -c 'select 1' >/dev/null 2>&1; then
    local hba="/etc/postgresql/$version/main/pg_hba.conf"
    log "allowing trusted loopback connections in $hba"
    as_root sed -i -E 's/^(host\s+all\s+all\s+(127\.0\.0\.1\/32|::1\/128)\s+)\S+/\1trust/' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload
  fi
  ensure_postgres_connections
}

# The whole stack (four services, the simulator, each with a pool of up to 20) plus a test run or a benchmark needs
# more than PostgreSQL's default of 100 connections. A local server below 300 is raised once (ALTER SYSTEM and a
# restart, as that setting needs one); a remote one is only reported.
ensure_postgres_connections() {
  local current
  current="$(psql_admin -c 'show max_connections' 2>/dev/null || echo 0)"
  [ "${current:-0}" -ge 300 ] && return
  if [ "$DB_HOST" != localhost ] && [ "$DB_HOST" != 127.0.0.1 ]; then
    log "PostgreSQL allows $current connections; the whole stack with tests wants 300"; return
  fi
  log "raising PostgreSQL max_connections from $current to 300 (restart)"
  psql_admin -c 'alter system set max_connections = 300'
  local version
  version="$(ls /etc/postgresql | sort -V | tail -1)"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" main restart
  wait_port "$DB_HOST" "$DB_PORT" 60 PostgreSQL
}

psql_admin() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d postgres -v ON_ERROR_STOP=1 -qAt "$@"; }

ensure_databases() {
  command -v psql >/dev/null || apt_install postgresql-client
  local db
  for db in "${SERVICE_DATABASES[@]}"; do
    if [ "$(psql_admin -c "select 1 from pg_database where datname = '$db'")" != 1 ]; then
      log "creating database $db"
      psql_admin -c "create database $db"
    fi
  done
}

ensure_rabbitmq() {
  local host="${RABBITMQ_HOST:-localhost}" port="${RABBITMQ_PORT:-5672}"
  if port_open "$host" "$port"; then log "RabbitMQ is up on $host:$port"; return; fi
  [ "$host" = localhost ] || [ "$host" = 127.0.0.1 ] || die "RabbitMQ at $host:$port is not reachable"
  command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
  log "starting RabbitMQ"
  as_root rabbitmq-server -detached || true
  echo "rabbitmq" >>"$RUN_DIR/started-infra"
  wait_port "$host" "$port" 90 RabbitMQ
}

# The tests' own virtual host, so that test traffic never lands in the queues of a stack running on this host.
ensure_test_vhost() {
  local vhost="${RABBITMQ_TEST_VHOST:-revops-test}"
  if command -v rabbitmqctl >/dev/null && as_root rabbitmqctl -q list_vhosts 2>/dev/null | grep -qx "$vhost"; then
    return
  fi
  command -v rabbitmqctl >/dev/null || die "rabbitmqctl is needed to create the test virtual host $vhost"
  log "creating RabbitMQ virtual host $vhost for the tests"
  as_root rabbitmqctl -q add_vhost "$vhost" >/dev/null 2>&1 || true
  as_root rabbitmqctl -q set_permissions -p "$vhost" "${RABBITMQ_USERNAME:-guest}" '.*' '.*' '.*' >/dev/null
}

# A fresh test virtual host: queues left by earlier runs (other modules' commands and events that nobody consumed)
# would otherwise be replayed ahead of a test's own messages. It holds test traffic only.
reset_test_vhost() {
  local vhost="${RABBITMQ_TEST_VHOST:-revops-test}"
  if command -v rabbitmqctl >/dev/null; then
    log "resetting RabbitMQ virtual host $vhost for the tests"
    as_root rabbitmqctl -q delete_vhost "$vhost" >/dev/null 2>&1 || true
  fi
  ensure_test_vhost
}

ensure_java() {
  command -v java >/dev/null || apt_install openjdk-17-jdk-headless
}

install_keycloak() {
  [ -x "$KEYCLOAK_HOME/bin/kc.sh" ] && return
  ensure_java
  command -v unzip >/dev/null || apt_install unzip
  local zip="$HOME/.m2/repository/org/keycloak/keycloak-quarkus-dist/$KEYCLOAK_VERSION/keycloak-quarkus-dist-$KEYCLOAK_VERSION.zip"
  if [ ! -f "$zip" ]; then
    log "fetching Keycloak $KEYCLOAK_VERSION from Maven Central"
    "$ROOT_DIR/mvnw" -q -B dependency:get -Dartifact="org.keycloak:keycloak-quarkus-dist:$KEYCLOAK_VERSION:zip" \
      || die "could not fetch Keycloak"
  fi
  log "unpacking Keycloak into $KEYCLOAK_HOME"
  local tmp
  tmp="$(mktemp -d)"
  unzip -q "$zip" -d "$tmp"
  mkdir -p "$(dirname "$KEYCLOAK_HOME")"
  rm -rf "$KEYCLOAK_HOME"
  mv "$tmp/keycloak-$KEYCLOAK_VERSION" "$KEYCLOAK_HOME"
  rmdir "$tmp"
}

keycloak_ready() {
  curl -fsS -o /dev/null "http://localhost:$KEYCLOAK_PORT/realms/revenue/.well-known/openid-configuration" 2>/dev/null
}

# Client secrets of the service accounts: generated once per machine, kept out of git.
ensure_client_secrets() {
  local f="$RUN_DIR/client-secrets.env"
  if [ ! -f "$f" ]; then
    umask 077
    {
      echo "GATEWAY_CLIENT_SECRET=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      echo "LEAD_ROUTING_CLIENT_SECRET=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      echo "ATTRIBUTION_CLIENT_SECRET=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
      echo "FEEDBACK_CLIENT_SECRET=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')"
    } >"$f"
  fi
  set -a
  # shellcheck disable=SC1090
  . "$f"
  set +a
}

# Starts Keycloak with the realm unless it already answers. Prints the PID file it wrote (empty if it was running).
ensure_keycloak() {
  if keycloak_ready; then log "Keycloak is up on port $KEYCLOAK_PORT with realm revenue"; return; fi
  port_open localhost "$KEYCLOAK_PORT" && die "port $KEYCLOAK_PORT is taken by something that is not our Keycloak"
  install_keycloak
  ensure_client_secrets
  # Brute-force detection stays on for the realm, but concurrent successful logins of one user are allowed: with the
  # default, Keycloak 26 answers a second simultaneous password grant for the same user "user_temporarily_disabled"
  # (no failed login needed), which broke test suites and scripts that log the same demo user in from two places.
  # start-dev keeps its data in an embedded H2 database; starting from an empty one re-imports the realm file, so
  # a changed deploy/keycloak/realm-revenue.json always takes effect (the demo realm holds no data worth keeping)
  rm -rf "$KEYCLOAK_HOME/data/h2"
  mkdir -p "$KEYCLOAK_HOME/data/import"
  cp "$ROOT_DIR/deploy/keycloak/realm-revenue.json" "$KEYCLOAK_HOME/data/import/realm-revenue.json"
  log "starting Keycloak $KEYCLOAK_VERSION on port $KEYCLOAK_PORT (log: $RUN_DIR/keycloak.log)"
  KC_BOOTSTRAP_ADMIN_USERNAME="${KC_BOOTSTRAP_ADMIN_USERNAME:-admin}" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="${KC_BOOTSTRAP_ADMIN_PASSWORD:-admin}" \
    nohup "$KEYCLOAK_HOME/bin/kc.sh" start-dev --http-port="$KEYCLOAK_PORT" --import-realm \
    --spi-brute-force-protector-default-brute-force-detector-allow-concurrent-requests=true \
    >"$RUN_DIR/keycloak.log" 2>&1 &
  echo $! >"$RUN_DIR/keycloak.pid"
  local i
  for ((i = 0; i < 180; i++)); do
    keycloak_ready && { log "Keycloak ready after ${i} s"; return; }
    kill -0 "$(cat "$RUN_DIR/keycloak.pid")" 2>/dev/null || { tail -30 "$RUN_DIR/keycloak.log"; die "Keycloak exited"; }
    sleep 1
  done
  tail -30 "$RUN_DIR/keycloak.log"
  die "Keycloak did not become ready"
}

stop_pidfile() { # file name
  local f="$1" pid
  [ -f "$f" ] || return 0
  pid="$(cat "$f")"
  if kill -0 "$pid" 2>/dev/null; then
    log "stopping $2 (pid $pid)"
    kill -- "-$pid" 2>/dev/null || kill "$pid" 2>/dev/null || true
    pkill -TERM -P "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 30; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

# --- CRM sandbox (deploy/sandbox): the simulated HubSpot and Salesforce the gateway talks to when no CRM
# credentials are configured. CRM_SANDBOX=1 forces it, CRM_SANDBOX=0 forbids it.
SIM_PORT="${SIM_PORT:-8090}"
CRM_CREDENTIAL_VARS=(HUBSPOT_ACCESS_TOKEN HUBSPOT_OAUTH_REFRESH_TOKEN HUBSPOT_CLIENT_SECRET
  SALESFORCE_CLIENT_ID SALESFORCE_CLIENT_SECRET SALESFORCE_PRIVATE_KEY)

use_crm_sandbox() {
  case "${CRM_SANDBOX:-auto}" in
    1 | true) return 0 ;;
    0 | false) return 1 ;;
  esac
  local v
  for v in "${CRM_CREDENTIAL_VARS[@]}"; do [ -n "${!v:-}" ] && return 1; done
  return 0
}

# The gateway's settings that point it at the simulator, one KEY=VALUE per line (the simulator's defaults; see
# deploy/sandbox/README.md). The simulator signs webhooks for the URL it calls, so both use GATEWAY_PUBLIC_URL.
sandbox_gateway_env() {
  cat <<ENV
HUBSPOT_BASE_URL=http://localhost:$SIM_PORT
HUBSPOT_ACCESS_TOKEN=sandbox-hubspot-private-app-token
HUBSPOT_CLIENT_SECRET=sandbox-hubspot-client-secret
HUBSPOT_APP_ID=4242
SALESFORCE_LOGIN_URL=http://localhost:$SIM_PORT
SALESFORCE_CLIENT_ID=sandbox-salesforce-consumer-key
SALESFORCE_CLIENT_SECRET=sandbox-salesforce-consumer-secret
SALESFORCE_ORG_ID=00DSB0000001Sim
SALESFORCE_INTEGRATION_USER_ID=005Sb0000000001IAA
GATEWAY_PUBLIC_URL=${GATEWAY_PUBLIC_URL:-http://localhost:8080}
GATEWAY_HUBSPOT_TEAM_ROLES=${GATEWAY_HUBSPOT_TEAM_ROLES:-9001=sdr,9002=ae}
ENV
}

# Starts the CRM simulator unless it already answers; it delivers to the gateway at GATEWAY_PUBLIC_URL.
ensure_crm_sandbox() {
  if curl -fsS "http://localhost:$SIM_PORT/q/health/ready" >/dev/null 2>&1; then
    log "CRM simulator is up on port $SIM_PORT"
    return
  fi
  port_open localhost "$SIM_PORT" && die "port $SIM_PORT is taken by something that is not the CRM simulator"
  local jar="$ROOT_DIR/deploy/sandbox/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: run without SKIP_BUILD=1"
  log "starting the CRM simulator on port $SIM_PORT (log: $RUN_DIR/crm-simulator.log)"
  SIM_PORT="$SIM_PORT" SIM_GATEWAY_URL="${GATEWAY_PUBLIC_URL:-http://localhost:8080}" \
    nohup java ${SIM_JAVA_OPTS:-"-Xmx256m"} -jar "$jar" >"$RUN_DIR/crm-simulator.log" 2>&1 &
  echo $! >"$RUN_DIR/crm-simulator.pid"
  local i
  for ((i = 0; i < 60; i++)); do
    curl -fsS "http://localhost:$SIM_PORT/q/health/ready" >/dev/null 2>&1 && { log "CRM simulator is ready"; return; }
    kill -0 "$(cat "$RUN_DIR/crm-simulator.pid")" 2>/dev/null \
      || { tail -30 "$RUN_DIR/crm-simulator.log"; die "the CRM simulator exited"; }
    sleep 1
  done
  die "the CRM simulator did not become ready"
}
