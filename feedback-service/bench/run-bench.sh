#!/usr/bin/env bash
# feedback-service benchmark (not part of mvn verify): plain-Java insights and CSV throughput, and the insights,
# list and missing-reason queries over a throwaway PostgreSQL database (feedback_bench, dropped afterwards).
#   bash feedback-service/bench/run-bench.sh                  # 200,000 leads
#   LEADS=1000000 bash feedback-service/bench/run-bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
LEADS=${LEADS:-200000}
ROUNDS=${ROUNDS:-5}
echo "== building feedback-service classes"
./mvnw -q -o -pl feedback-service compile 2>/dev/null || ./mvnw -q -pl feedback-service compile
PG=$(find ~/.m2/repository/org/postgresql/postgresql -name 'postgresql-*.jar' | sort | tail -1)
java -Xmx2g -cp "feedback-service/target/classes:$PG" feedback-service/bench/InsightsBenchmark.java \
  --leads "$LEADS" --rounds "$ROUNDS" \
  --jdbc "jdbc:postgresql://${DB_HOST:-localhost}:${DB_PORT:-5432}/feedback_bench"
