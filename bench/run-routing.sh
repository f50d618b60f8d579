#!/usr/bin/env bash
# Routing decision latency in process (JMH, sample mode: p50/p90/p99/p99.9 per decision) with 1,000 reps in 50
# teams and 500 rules. Not part of mvn verify.
#   bash bench/run-routing.sh                 # defaults
#   bash bench/run-routing.sh -p rules=2000   # any JMH options
set -euo pipefail
cd "$(dirname "$0")/.."
echo "== building lead-routing-service (classes, test classes, JMH generated code)"
./mvnw -q -o -pl lead-routing-service test-compile 2>/dev/null || ./mvnw -q -pl lead-routing-service test-compile
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
./mvnw -q -o -pl lead-routing-service dependency:build-classpath -Dmdep.includeScope=test \
  -Dmdep.outputFile="$CP_FILE" >/dev/null 2>&1 || ./mvnw -q -pl lead-routing-service dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="lead-routing-service/target/test-classes:lead-routing-service/target/classes:$(cat "$CP_FILE")"
echo "== JMH RouterBenchmark (goal: p99 under 1 ms per decision)"
java -cp "$CP" org.openjdk.jmh.Main RouterBenchmark "$@"
