#!/usr/bin/env bash
# Attribution benchmark (not part of mvn verify): the Java engine's full recompute of the 8 rule-based models over
# 100,000 deals x 30 touchpoints, the same computation in plain SQL inside PostgreSQL (throwaway database
# attribution_bench), and the Markov removal effect over 1,000,000 journeys. Prints every figure.
#   bash bench/run-attribution.sh                 # defaults
#   DEALS=20000 JOURNEYS=200000 bash bench/run-attribution.sh
#   SKIP_SQL=1 bash bench/run-attribution.sh      # Java only
set -euo pipefail
cd "$(dirname "$0")/.."

DEALS=${DEALS:-100000}
TOUCHES=${TOUCHES:-30}
JOURNEYS=${JOURNEYS:-1000000}
ROUNDS=${ROUNDS:-3}
export PGHOST=${DB_HOST:-localhost} PGPORT=${DB_PORT:-5432} PGUSER=${DB_USER:-postgres}
[ -n "${DB_PASSWORD:-}" ] && export PGPASSWORD=$DB_PASSWORD
BENCH_DB=attribution_bench

echo "== building attribution-service classes"
./mvnw -q -o -pl attribution-service compile 2>/dev/null || ./mvnw -q -pl attribution-service compile

DATA=$(mktemp -d /tmp/attribution-bench.XXXXXX)
cleanup() {
  rm -rf "$DATA"
  if [ -z "${SKIP_SQL:-}" ]; then
    psql -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

echo "== Java engine"
java -Xmx6g -XX:+UseParallelGC -cp attribution-service/target/classes bench/AttributionBenchmark.java \
  --deals "$DEALS" --touches "$TOUCHES" --journeys "$JOURNEYS" --rounds "$ROUNDS" --csv "$DATA"

if [ -n "${SKIP_SQL:-}" ]; then
  exit 0
fi

echo "== PostgreSQL baseline (database $BENCH_DB, dropped afterwards)"
psql -q -d postgres -c "DROP DATABASE IF EXISTS $BENCH_DB WITH (FORCE)" >/dev/null
psql -q -d postgres -c "CREATE DATABASE $BENCH_DB" >/dev/null
psql -q -v ON_ERROR_STOP=1 -d "$BENCH_DB" <<SQL
CREATE UNLOGGED TABLE bench_deal (id text PRIMARY KEY, amount bigint NOT NULL, lead_at timestamptz,
  opp_at timestamptz NOT NULL, qual_at timestamptz, closed_at timestamptz, won boolean NOT NULL);
CREATE UNLOGGED TABLE bench_touch (id text PRIMARY KEY, deal_id text NOT NULL, at timestamptz NOT NULL,
  channel text, campaign text);
\copy bench_deal FROM '$DATA/deals.csv' WITH (FORMAT csv, NULL 'null')
\copy bench_touch FROM '$DATA/touches.csv' WITH (FORMAT csv, NULL 'null')
CREATE UNLOGGED TABLE bench_java_credit (model text, deal_id text, touch_id text, credit bigint);
\copy bench_java_credit FROM '$DATA/java_credits.csv' WITH (FORMAT csv)
CREATE INDEX ON bench_touch (deal_id, at, id);
ANALYZE bench_deal;
ANALYZE bench_touch;
SQL
start=$(date +%s.%N)
psql -v ON_ERROR_STOP=1 -d "$BENCH_DB" -f bench/attribution-baseline.sql
end=$(date +%s.%N)
printf 'RESULT PostgreSQL baseline, same %s deals x %s touchpoints, 8 models, wall clock incl. psql: %.2f s\n' \
  "$DEALS" "$TOUCHES" "$(echo "$end - $start" | bc -l)"
