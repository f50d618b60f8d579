#!/usr/bin/env bash
# Runs every test of the build against the real PostgreSQL, RabbitMQ and Keycloak of this machine, provisioning
# whatever is missing first. This is the test command of README.md, and .ci/run calls exactly this.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ensure_postgres
ensure_databases
ensure_rabbitmq
reset_test_vhost
ensure_keycloak

cd "$ROOT_DIR"
./mvnw -B -ntp verify "$@"
