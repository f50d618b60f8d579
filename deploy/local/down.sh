#!/usr/bin/env bash
# Stops exactly what deploy/local/up.sh started: the four services, the CRM simulator, Keycloak if up.sh started it,
# and PostgreSQL or RabbitMQ only if up.sh had to start them. Data (databases, Keycloak's realm) is kept.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

for svc in feedback-service attribution-service lead-routing-service gateway; do
  stop_pidfile "$RUN_DIR/$svc.pid" "$svc"
done
stop_pidfile "$RUN_DIR/crm-simulator.pid" "CRM simulator"
if [ -f "$RUN_DIR/keycloak.started-by-up" ]; then
  stop_pidfile "$RUN_DIR/keycloak.pid" Keycloak
  rm -f "$RUN_DIR/keycloak.started-by-up"
fi

if [ -f "$RUN_DIR/started-infra" ]; then
  while read -r what version; do
    case "$what" in
      postgres) log "stopping PostgreSQL $version"; as_root pg_ctlcluster --skip-systemctl-redirect "$version" main stop || true ;;
      rabbitmq) log "stopping RabbitMQ"; as_root rabbitmqctl stop >/dev/null 2>&1 || true ;;
    esac
  done <"$RUN_DIR/started-infra"
  rm -f "$RUN_DIR/started-infra"
fi
log "stopped"
