#!/usr/bin/env bash
# Runs the whole stack on this Linux host without Docker: PostgreSQL, RabbitMQ and Keycloak (started, or installed
# and started, when missing), the four databases, then the four services built from this checkout.
# Stop it with deploy/local/down.sh, which stops exactly what this script started.
#   SKIP_BUILD=1 deploy/local/up.sh   reuse the jars already built
# Without CRM credentials (HUBSPOT_ACCESS_TOKEN, HUBSPOT_OAUTH_REFRESH_TOKEN, HUBSPOT_CLIENT_SECRET,
# SALESFORCE_CLIENT_ID, SALESFORCE_CLIENT_SECRET, SALESFORCE_PRIVATE_KEY) it also starts the CRM simulator
# (deploy/sandbox, port 8090) and points the gateway at it; with them the gateway talks to the real CRMs.
# CRM_SANDBOX=1/0 forces either.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SERVICES=("gateway:8080" "lead-routing-service:8081" "attribution-service:8082" "feedback-service:8083")

ensure_java
ensure_postgres
ensure_databases
ensure_rabbitmq
# down.sh stops Keycloak only when this script started it (not one a test run or an earlier stack left running)
if keycloak_ready; then
  ensure_keycloak
else
  ensure_keycloak
  touch "$RUN_DIR/keycloak.started-by-up"
fi
ensure_client_secrets
CRM_MODE=real
use_crm_sandbox && CRM_MODE=sandbox

cd "$ROOT_DIR"
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  log "building the services (./mvnw package -DskipTests)"
  ./mvnw -B -ntp -q package -DskipTests
fi

CRM_DESCRIPTION="the real HubSpot / Salesforce of your credentials"
if [ "$CRM_MODE" = sandbox ]; then
  ensure_crm_sandbox
  CRM_DESCRIPTION="sandbox: simulated HubSpot and Salesforce, http://localhost:$SIM_PORT (deploy/sandbox/README.md)"
fi

# The gateway's CRM settings: the simulator's in sandbox mode, otherwise the environment's own.
crm_env_for() {
  if [ "$1" = gateway ] && [ "$CRM_MODE" = sandbox ]; then sandbox_gateway_env; fi
  return 0
}

secret_for() {
  case "$1" in
    gateway) echo "$GATEWAY_CLIENT_SECRET" ;;
    lead-routing-service) echo "$LEAD_ROUTING_CLIENT_SECRET" ;;
    attribution-service) echo "$ATTRIBUTION_CLIENT_SECRET" ;;
    feedback-service) echo "$FEEDBACK_CLIENT_SECRET" ;;
  esac
}

for entry in "${SERVICES[@]}"; do
  svc="${entry%%:*}" port="${entry##*:}"
  pidfile="$RUN_DIR/$svc.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    log "$svc already running (pid $(cat "$pidfile"))"
    continue
  fi
  port_open localhost "$port" && die "port $port is taken; is another copy of $svc running?"
  jar="$ROOT_DIR/$svc/target/quarkus-app/quarkus-run.jar"
  [ -f "$jar" ] || die "$jar is missing: run without SKIP_BUILD=1"
  log "starting $svc on port $port (log: $RUN_DIR/$svc.log)"
  # shellcheck disable=SC2046 # one KEY=VALUE word per line, no spaces in the values
  OIDC_CLIENT_SECRET="$(secret_for "$svc")" nohup env $(crm_env_for "$svc") java ${JAVA_OPTS:-"-Xmx512m"} -jar "$jar" \
    >"$RUN_DIR/$svc.log" 2>&1 &
  echo $! >"$pidfile"
done

for entry in "${SERVICES[@]}"; do
  svc="${entry%%:*}" port="${entry##*:}"
  for ((i = 0; i < 120; i++)); do
    if curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1; then
      log "$svc is ready"
      break
    fi
    kill -0 "$(cat "$RUN_DIR/$svc.pid")" 2>/dev/null || { tail -40 "$RUN_DIR/$svc.log"; die "$svc exited"; }
    sleep 1
  done
  curl -fsS "http://localhost:$port/q/health/ready" >/dev/null 2>&1 || die "$svc did not become ready"
done

cat <<INFO

  The stack is up.
    gateway               http://localhost:8080   (Swagger UI: http://localhost:8080/q/swagger-ui)
    lead-routing-service  http://localhost:8081   (Swagger UI: http://localhost:8081/q/swagger-ui)
    attribution-service   http://localhost:8082   (Swagger UI: http://localhost:8082/q/swagger-ui)
    feedback-service      http://localhost:8083   (Swagger UI: http://localhost:8083/q/swagger-ui)
    Keycloak              http://localhost:$KEYCLOAK_PORT  (realm "revenue"; admin console user admin/admin)
    CRMs                  $CRM_DESCRIPTION
    RabbitMQ              amqp://localhost:5672   PostgreSQL  localhost:5432

  Demo users (password "demo"): alice.admin (revops-admin), mark.manager (sales-manager),
  sam.sdr and sara.sdr (sdr, team sdr-east), molly.marketing (marketing-ops).

  A token for the SDR sam.sdr, then a call with it:
    TOKEN=\$(curl -s -d grant_type=password -d client_id=revenue-cli -d username=sam.sdr -d password=demo \\
      http://localhost:$KEYCLOAK_PORT/realms/revenue/protocol/openid-connect/token | jq -r .access_token)
    curl -H "Authorization: Bearer \$TOKEN" http://localhost:8081/leads

  Logs: $RUN_DIR/*.log      Stop everything: deploy/local/down.sh
INFO
