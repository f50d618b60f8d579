#!/usr/bin/env bash
# End-to-end speed to lead through the CRM simulator, on a fresh machine in one command: leads created in the
# simulated CRM at a fixed rate (open loop) reach the gateway as signed webhooks / outbound messages, are routed, and
# the owner the gateway writes back is timed from the lead's scheduled creation (the product's "routed within a
# second"). Starts the stack in sandbox mode with deploy/local/up.sh (build included; SKIP_BUILD=1 reuses the jars)
# unless it is already up, and stops it again with deploy/local/down.sh if it started it.
#   bash bench/run-speed-to-lead.sh [--rate 20] [--duration 60] [--warmup 10] [--drain 60] [--salesforce-share 0]
# It configures routing on the stack (as the scenario does): the simulator's SDRs as reps without a capacity cap, a
# team bench-speed-to-lead with all of them, and a published rule set sending every lead there by round robin.
set -uo pipefail
cd "$(dirname "$0")/.."
. deploy/local/lib.sh
command -v jq >/dev/null || die "jq is needed"

SIM="http://localhost:$SIM_PORT"
ROUTING=http://localhost:8081
started=0
if curl -fsS http://localhost:8080/q/health/ready >/dev/null 2>&1; then
  curl -fsS "$SIM/q/health/ready" >/dev/null 2>&1 \
    || die "a stack is running without the CRM simulator ($SIM): stop it (deploy/local/down.sh) and run this again"
  log "using the stack that is already running"
else
  log "starting the stack in sandbox mode (deploy/local/up.sh)"
  CRM_SANDBOX=1 bash deploy/local/up.sh || die "the stack did not start"
  started=1
fi
cleanup() { [ "$started" = 1 ] && bash deploy/local/down.sh; }
trap cleanup EXIT

TOKEN=""
for ((i = 0; i < 10; i++)); do # a busy Keycloak may fail a request now and then
  TOKEN="$(curl -sS -d grant_type=password -d client_id=revenue-cli -d username=alice.admin -d password=demo \
    "http://localhost:$KEYCLOAK_PORT/realms/revenue/protocol/openid-connect/token" | jq -r '.access_token // empty')"
  [ -n "$TOKEN" ] && break
  sleep 2
done
[ -n "$TOKEN" ] || die "Keycloak gave no token for alice.admin"
api() { # method path [json] -> body; fails on a non-2xx answer
  local out
  out="$(curl -sS -X "$1" "$ROUTING$2" -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    ${3:+--data-binary "$3"} -w '\n%{http_code}')"
  [[ "$(tail -1 <<<"$out")" =~ ^2 ]] || die "$1 $2 answered $(tail -1 <<<"$out"): $(sed '$d' <<<"$out")"
  sed '$d' <<<"$out"
}

log "configuring routing: the simulator's SDRs as reps, team bench-speed-to-lead, a rule set sending every lead there"
ORG="$(curl -fsS "$SIM/_sim/org")" || die "the simulator does not answer"
mapfile -t SDRS < <(jq -r '.owners[] | select(.teamId == "9001") | [(.email | split("@")[0]), .hubspotOwnerId,
  .salesforceUserId, .email, ((.firstName // "") + " " + (.lastName // ""))] | @tsv' <<<"$ORG")
[ "${#SDRS[@]}" -gt 0 ] || die "the simulator has no SDR owners (team 9001)"
for row in "${SDRS[@]}"; do
  IFS=$'\t' read -r user hs sf email name <<<"$row"
  api PUT "/admin/reps/$user" "$(jq -nc --arg n "$name" --arg e "$email" --arg hs "$hs" --arg sf "$sf" \
    '{displayName: $n, email: $e, hubspotOwnerId: $hs, salesforceOwnerId: $sf, timeZone: "UTC", skills: [],
      capacity: null, active: true}')" >/dev/null
done
TEAM="$(api GET /admin/teams | jq -r '.[] | select(.name == "bench-speed-to-lead") | .id')"
[ -n "$TEAM" ] || TEAM="$(api POST /admin/teams '{"name":"bench-speed-to-lead","keycloakGroup":"bench-speed-to-lead",
  "managerUsername":"mark.manager"}' | jq -r .id)"
for row in "${SDRS[@]}"; do
  api PUT "/admin/teams/$TEAM/members/${row%%$'\t'*}" '{"weight":1}' >/dev/null
done
VERSION="$(api POST /routing/rule-sets "$(jq -nc '{description: "speed-to-lead benchmark: every lead to one team",
  definition: {fallbackQueue: "bench-triage", routeDuplicatesToOwner: false, matchAccounts: false, rules: [
    {name: "Everything round robin", then: {type: "team", team: "bench-speed-to-lead", strategy: "WEIGHTED_ROUND_ROBIN",
     respectWorkingHours: false}}]}}')" | jq -r .version)"
api POST "/routing/rule-sets/$VERSION/validate" >/dev/null
api POST "/routing/rule-sets/$VERSION/publish" >/dev/null
log "rule set v$VERSION published, ${#SDRS[@]} reps; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"

java bench/SpeedToLeadBenchmark.java --sim "$SIM" "$@"
status=$?
log "load average after: $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) CPUs)"
exit "$status"
