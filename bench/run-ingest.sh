#!/usr/bin/env bash
# Runs the gateway ingest benchmark (bench/IngestBenchmark.java) on this machine, from a fresh checkout, without the
# rest of the stack:
#
#   bench/run-ingest.sh                          # both phases, default options
#   bench/run-ingest.sh --phase latency --rate 500 --duration 30
#   BENCH_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/ingest.jfr,delay=20s,duration=30s' bench/run-ingest.sh
#
# Every argument goes to the benchmark (java bench/IngestBenchmark.java --help lists them).
# It builds the gateway and the CRM simulator (deploy/sandbox), then starts, from their jars:
#   - the CRM simulator on port BENCH_SIM_PORT (18090), so the asynchronous enrichment that follows each stored
#     webhook talks to a CRM that behaves like HubSpot (its batch reads, associations, limits);
#   - the gateway on port BENCH_GATEWAY_PORT (18080) with its own database (gateway_bench) and RabbitMQ virtual host
#     (revops-ingest-bench), pointed at the simulator the way deploy/local/up.sh does it in sandbox mode.
# Both are stopped, and the database and virtual host dropped, on exit (also on failure or Ctrl-C); BENCH_KEEP=1
# keeps the database and virtual host; BENCH_SKIP_BUILD=1 reuses jars already built. PostgreSQL and RabbitMQ are
# started if missing; Keycloak is not started (webhooks do not use it). At the end it prints the CPU time the
# gateway and its PostgreSQL backends used per stored event (measured until every accepted delivery is split into its
# events), a figure that depends less than the rates on what else the machine is running, and the split figures from
# the database (deliveries are answered once stored, and split into events afterwards).
# The exit status is the benchmark's: 0 when every request was answered 2xx.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh

GATEWAY_PORT="${BENCH_GATEWAY_PORT:-18080}"
SIM_PORT="${BENCH_SIM_PORT:-18090}"   # lib.sh's sandbox_gateway_env points the gateway at SIM_PORT
BENCH_DB="${BENCH_DB:-gateway_bench}"
BENCH_VHOST="${BENCH_VHOST:-revops-ingest-bench}"
SECRET=sandbox-hubspot-client-secret  # the simulator's HubSpot app secret (sandbox_gateway_env), signed by the driver
export GATEWAY_PUBLIC_URL="http://localhost:$GATEWAY_PORT"

for port in "$GATEWAY_PORT" "$SIM_PORT"; do
  port_open localhost "$port" && die "port $port is taken (BENCH_GATEWAY_PORT / BENCH_SIM_PORT choose others)"
done

ensure_java
ensure_postgres
ensure_rabbitmq

if [ -n "${BENCH_SKIP_BUILD:-}" ] && [ -f gateway/target/quarkus-app/quarkus-run.jar ] \
  && [ -f deploy/sandbox/target/quarkus-app/quarkus-run.jar ]; then
  echo "== BENCH_SKIP_BUILD: using the jars already built"
else
  echo "== building the gateway and the CRM simulator"
  ./mvnw -q -o -pl gateway,deploy/sandbox package -DskipTests 2>/dev/null \
    || ./mvnw -q -pl gateway,deploy/sandbox package -DskipTests
fi

GATEWAY_PID= SIM_PID=
GATEWAY_LOG=$(mktemp /tmp/ingest-bench-gateway.XXXXXX.log)
SIM_LOG=$(mktemp /tmp/ingest-bench-simulator.XXXXXX.log)
stop() { # pid
  [ -n "$1" ] || return 0
  kill "$1" 2>/dev/null || return 0
  local i
  for ((i = 0; i < 120; i++)); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$1" 2>/dev/null || true
}
cleanup() {
  stop "$GATEWAY_PID"
  stop "$SIM_PID"
  if [ -z "${BENCH_KEEP:-}" ]; then
    psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true
    as_root rabbitmqctl -q delete_vhost "$BENCH_VHOST" >/dev/null 2>&1 || true
  fi
  echo "[bench] stopped the gateway and the simulator (logs: $GATEWAY_LOG, $SIM_LOG)"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# a fresh database and virtual host each run: a backlog left by an earlier run would be enriched during this one
psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
psql_admin -c "CREATE DATABASE $BENCH_DB" >/dev/null
as_root rabbitmqctl -q delete_vhost "$BENCH_VHOST" >/dev/null 2>&1 || true
RABBITMQ_TEST_VHOST="$BENCH_VHOST" ensure_test_vhost

wait_ready() { # name port pid log
  local i
  for ((i = 0; i < 120; i++)); do
    curl -fsS "http://localhost:$2/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$3" 2>/dev/null || { tail -40 "$4"; die "$1 exited"; }
    sleep 1
  done
  tail -40 "$4"
  die "$1 did not become ready on port $2"
}

echo "== starting the CRM simulator on port $SIM_PORT (log $SIM_LOG)"
SIM_PORT="$SIM_PORT" SIM_GATEWAY_URL="$GATEWAY_PUBLIC_URL" SIM_HUBSPOT_CLIENT_SECRET="$SECRET" \
  java ${SIM_JAVA_OPTS:-"-Xmx256m"} -jar deploy/sandbox/target/quarkus-app/quarkus-run.jar >"$SIM_LOG" 2>&1 &
SIM_PID=$!
wait_ready "the CRM simulator" "$SIM_PORT" "$SIM_PID" "$SIM_LOG"

echo "== starting the gateway on port $GATEWAY_PORT (log $GATEWAY_LOG)"
# shellcheck disable=SC2046 # one KEY=VALUE word per line, no spaces in the values
env $(sandbox_gateway_env) DB_NAME="$BENCH_DB" RABBITMQ_VHOST="$BENCH_VHOST" QUARKUS_HTTP_PORT="$GATEWAY_PORT" \
  QUARKUS_LOG_CONSOLE_JSON_ENABLED=false OIDC_CLIENT_SECRET="${GATEWAY_CLIENT_SECRET:-unused-by-the-benchmark}" \
  java -Xmx512m ${BENCH_JAVA_OPTS:-} -jar gateway/target/quarkus-app/quarkus-run.jar >"$GATEWAY_LOG" 2>&1 &
GATEWAY_PID=$!
wait_ready "the gateway" "$GATEWAY_PORT" "$GATEWAY_PID" "$GATEWAY_LOG"

echo "== load average before the run: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL's share: the backends serving the benchmark database (the gateway's pool keeps its connections open)
pg_ticks() {
  local pid total=0
  for pid in $(psql_admin -c "select pid from pg_stat_activity where datname = '$BENCH_DB'" 2>/dev/null); do
    total=$((total + $(cpu_ticks "$pid")))
  done
  echo "$total"
}
cpu_before=$(cpu_ticks "$GATEWAY_PID")
pg_before=$(pg_ticks)
status=0
java bench/IngestBenchmark.java --url "$GATEWAY_PUBLIC_URL" --public-url "$GATEWAY_PUBLIC_URL" --secret "$SECRET" "$@" \
  || status=$?
bench_sql() { psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$BENCH_DB" -qAt -c "$1" 2>/dev/null || echo '?'; }
# deliveries are answered once stored and split into events afterwards: wait for the split, so the CPU figures below
# cover all the work of the accepted events (up to BENCH_SPLIT_WAIT seconds)
for ((i = 0; i < ${BENCH_SPLIT_WAIT:-300} * 2; i++)); do
  [ "$(bench_sql "select count(*) from webhook_delivery where split_at is null")" = 0 ] && break
  sleep 0.5
done
echo "== split (from the database): $(bench_sql "select count(*) || ' deliveries, ' || coalesce(sum(event_count), 0)
  || ' events accepted, ' || count(*) filter (where split_at is null) || ' deliveries still unsplit, '
  || count(*) filter (where split_error is not null) || ' split errors; last split '
  || coalesce(round(extract(epoch from max(split_at) - max(received_at)))::text, '?')
  || ' s after the last delivery was received; ' || coalesce(round(sum(event_count)
  / nullif(extract(epoch from max(split_at) - min(received_at)), 0))::text, '?')
  || ' events/s split from the first delivery received to the last split'
  from webhook_delivery where crm = 'hubspot'")"
cpu_after=$(cpu_ticks "$GATEWAY_PID")
pg_after=$(pg_ticks)
stored=$(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$BENCH_DB" -qAt -c "select count(*) from webhook_event" \
  2>/dev/null || echo 0)
awk -v t=$((cpu_after - cpu_before)) -v p=$((pg_after - pg_before)) -v hz="$(getconf CLK_TCK)" -v n="$stored" 'BEGIN {
  printf "== CPU from the start of the run until everything was split, for %d stored events (warm-ups, split and enrichment meanwhile included): gateway %.1f s (%.1f us per event), PostgreSQL backends %.1f s (%.1f us per event; only those still connected at the end)\n",
    n, t / hz, (n > 0 ? t / hz * 1e6 / n : 0), p / hz, (n > 0 ? p / hz * 1e6 / n : 0) }'
echo "== enrichment after the run: $(psql -h "$DB_HOST" -p "$DB_PORT" -U "$DB_USER" -d "$BENCH_DB" -qAt -c \
  "select string_agg(status || ' ' || n, ', ') from (select status, count(*) n from webhook_event group by status) s" \
  2>/dev/null || echo '?'); simulator: $(curl -fsS "http://localhost:$SIM_PORT/_sim/stats" 2>/dev/null | head -c 400 || echo '?')"
exit "$status"
