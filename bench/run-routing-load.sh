#!/usr/bin/env bash
# Routing under load, against the real service, PostgreSQL and RabbitMQ (not part of mvn verify):
#  1. event-to-command latency: lead.created published at a fixed rate (default 200/s) -> owner.assign received on
#     crm.commands (goal p99 < 100 ms);
#  2. deadline precision: 100,000 open timers in the table, 1,200 probe deadlines coming due at 20/s, lateness
#     fired_at - due_at (goal: within 2 s).
# The service runs from its jar on port 18081 with its own database (lead_routing_bench) and RabbitMQ virtual host
# (revops-bench), so neither a local stack nor the gateway ever sees the benchmark's leads; both are removed after.
#   bash bench/run-routing-load.sh [--rate 200] [--duration 30] [--timers 100000] [--probes 1200]
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh
ensure_postgres
ensure_rabbitmq
ensure_keycloak
ensure_client_secrets
# a fresh virtual host each run: a durable queue left over from an earlier run would replay its backlog
as_root rabbitmqctl -q delete_vhost revops-bench >/dev/null 2>&1 || true
RABBITMQ_TEST_VHOST=revops-bench ensure_test_vhost

BENCH_DB=lead_routing_bench
PORT=18081
psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
psql_admin -c "CREATE DATABASE $BENCH_DB" >/dev/null

echo "== building lead-routing-service"
./mvnw -q -o -pl lead-routing-service package -DskipTests 2>/dev/null || ./mvnw -q -pl lead-routing-service package -DskipTests
CP_FILE=$(mktemp)
LOG=$(mktemp /tmp/routing-bench.XXXXXX.log)
SERVICE_PID=
cleanup() {
  [ -n "$SERVICE_PID" ] && kill "$SERVICE_PID" 2>/dev/null && wait "$SERVICE_PID" 2>/dev/null || true
  [ -n "${BENCH_KEEP:-}" ] || psql_admin -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true
  [ -n "${BENCH_KEEP:-}" ] || as_root rabbitmqctl -q delete_vhost revops-bench >/dev/null 2>&1 || true
  rm -f "$CP_FILE"
}
trap cleanup EXIT
./mvnw -q -o -pl lead-routing-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE" >/dev/null 2>&1 || ./mvnw -q -pl lead-routing-service dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null

echo "== starting lead-routing-service on port $PORT (log $LOG)"
DB_NAME=$BENCH_DB RABBITMQ_VHOST=revops-bench QUARKUS_HTTP_PORT=$PORT QUARKUS_LOG_CONSOLE_JSON_ENABLED=false \
  OIDC_CLIENT_SECRET="${LEAD_ROUTING_CLIENT_SECRET:-}" \
  java -Xmx1g ${BENCH_JAVA_OPTS:-} -jar lead-routing-service/target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
SERVICE_PID=$!
for i in $(seq 1 60); do
  curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$SERVICE_PID" 2>/dev/null || { tail -50 "$LOG"; die "the service did not start"; }
  sleep 1
done
curl -fs "http://localhost:$PORT/q/health/ready" >/dev/null || { tail -50 "$LOG"; die "the service is not ready"; }

java -cp "$(cat "$CP_FILE")" bench/RoutingLoadBenchmark.java --url "http://localhost:$PORT" --vhost revops-bench \
  --db "$BENCH_DB" --service-pid "$SERVICE_PID" "$@"
