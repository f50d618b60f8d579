#!/usr/bin/env bash
# Runs the gateway ingest benchmark (bench/IngestBenchmark.java) on this machine, from a fresh checkout:
#
#   bench/run-ingest.sh                          # both phases, default options
#   bench/run-ingest.sh --phase latency --rate 500 --duration 30
#
# Every argument goes to the benchmark (java bench/IngestBenchmark.java --help lists them).
# If the gateway is not already ready on http://localhost:8080, this script starts the local stack with
# deploy/local/up.sh (which builds the services and passes HUBSPOT_CLIENT_SECRET through to the gateway) and stops it
# again with deploy/local/down.sh at the end, even on failure or Ctrl-C. A stack that was already running is left
# alone; it must then have been started with the same HUBSPOT_CLIENT_SECRET (default here: bench-secret).
# The exit status is the benchmark's: 0 when every request was answered 2xx.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT_DIR="$(cd "$BENCH_DIR/.." && pwd)"
READY_URL="http://localhost:8080/q/health/ready"

export HUBSPOT_CLIENT_SECRET="${HUBSPOT_CLIENT_SECRET:-bench-secret}"

started_stack=0
cleanup() {
  if [ "$started_stack" = 1 ]; then
    echo "[bench] stopping the stack this script started (deploy/local/down.sh)"
    "$ROOT_DIR/deploy/local/down.sh" || echo "[bench] deploy/local/down.sh failed; stop the stack by hand" >&2
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

gateway_ready() {
  curl -fsS --max-time 5 "$READY_URL" 2>/dev/null | grep -q '"status" *: *"UP"'
}

if gateway_ready; then
  echo "[bench] the gateway is already up ($READY_URL); using it as it is"
else
  echo "[bench] starting the local stack (deploy/local/up.sh) with HUBSPOT_CLIENT_SECRET from this environment"
  started_stack=1
  "$ROOT_DIR/deploy/local/up.sh"
  gateway_ready || { echo "[bench] the gateway is not ready at $READY_URL after up.sh" >&2; exit 1; }
fi

cd "$ROOT_DIR"
status=0
java "$BENCH_DIR/IngestBenchmark.java" "$@" || status=$?

if [ "$status" = 3 ] || { [ "$status" = 1 ] && [ "$started_stack" = 0 ]; }; then
  cat >&2 <<HINT

[bench] hint: if the requests were refused with 401, the running gateway was started with another
        HUBSPOT_CLIENT_SECRET (or GATEWAY_PUBLIC_URL) than this benchmark signs with. Either pass the gateway's
        value (HUBSPOT_CLIENT_SECRET=... bench/run-ingest.sh, or --secret / --public-url), or restart the stack:
          deploy/local/down.sh && bench/run-ingest.sh
HINT
fi
exit "$status"
