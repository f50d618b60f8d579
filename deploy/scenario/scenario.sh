#!/usr/bin/env bash
# The "day in the life" scenario, started by deploy/local/scenario.sh (what it does: see there and README.md).
#   scenario.sh [--leads N] [--seed S] [--timeout SECONDS]
# Phases: preflight, routing set-up, leads, first touches, SLA breaches and late touches, disqualifications and a
# dispute, deals, waiting for the stack to settle, report, reconciliation. Every wait polls with a timeout.
set -uo pipefail
. "$(cd "$(dirname "$0")/../local" && pwd)/lib.sh"

LEADS=300
SEED=42
TIMEOUT=600
while [ $# -gt 0 ]; do
  case "$1" in
    --leads) LEADS="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    -h | --help) sed -n 2,4p "$0"; exit 0 ;;
    *) die "unknown argument $1 (--leads N, --seed S, --timeout SECONDS)" ;;
  esac
done
[[ "$LEADS" =~ ^[0-9]+$ ]] && [ "$LEADS" -ge 10 ] || die "--leads must be a number, at least 10"
[[ "$SEED" =~ ^[0-9]+$ ]] || die "--seed must be a number"
command -v jq >/dev/null || die "jq is needed"

SIM="http://localhost:${SIM_PORT:-8090}"
GW=http://localhost:8080
ROUTING=http://localhost:8081
ATTRIBUTION=http://localhost:8082
FEEDBACK=http://localhost:8083
KC="http://localhost:$KEYCLOAK_PORT/realms/revenue/protocol/openid-connect/token"
RANDOM=$SEED
RUN="s$(date -u +%H%M%S)$((RANDOM % 90 + 10))"
WORK="$(mktemp -d /tmp/revops-scenario.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
T0=$(date +%s)

step() { printf '\033[1;36m[scenario %4ss]\033[0m %s\n' "$(($(date +%s) - T0))" "$*"; }
now_iso() { date -u +%Y-%m-%dT%H:%M:%SZ; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "-"; else printf "%.0f%%", 100 * a / b }'; }

# ---------------------------------------------------------------------------------------------------- HTTP helpers
# A token per demo user, fetched again after two minutes (Keycloak's access tokens live five).
token() {
  local f="$WORK/token.$1"
  if [ ! -s "$f" ] || [ $(($(date +%s) - $(stat -c %Y "$f"))) -gt 120 ]; then
    curl -sS -d grant_type=password -d client_id=revenue-cli -d username="$1" -d password=demo "$KC" \
      | jq -r '.access_token // empty' >"$f"
    [ -s "$f" ] || die "Keycloak gave no token for $1 (is the realm revenue imported?)"
  fi
  cat "$f"
}

# call METHOD URL USER|- [JSON] -> prints the body; HTTP status in $WORK/status
call() {
  local args=(-sS -o "$WORK/body" -w '%{http_code}' -X "$1" "$2")
  [ "$3" != - ] && args+=(-H "Authorization: Bearer $(token "$3")")
  [ $# -ge 4 ] && args+=(-H 'Content-Type: application/json' --data-binary "$4")
  curl "${args[@]}" >"$WORK/status" 2>"$WORK/curl.err" || echo 000 >"$WORK/status"
  cat "$WORK/body"
}
status() { cat "$WORK/status"; }

# must EXPECTED METHOD URL USER [JSON]: the call must answer one of the EXPECTED statuses (e.g. "200|201").
must() {
  local expected="$1"; shift
  local body
  body="$(call "$@")"
  if ! [[ "$(status)" =~ ^($expected)$ ]]; then
    printf '%s %s answered %s (expected %s): %s %s\n' "$1" "$2" "$(status)" "$expected" "$body" \
      "$(cat "$WORK/curl.err")" >&2
    die "unexpected answer; the scenario stops"
  fi
  printf '%s' "$body"
}

sim() { must "$1" "$2" "$SIM$3" - "${@:4}"; }

# ---------------------------------------------------------------------------------------------------- preflight
step "checking the stack (services, Keycloak, CRM simulator)"
for svc in gateway:8080 lead-routing-service:8081 attribution-service:8082 feedback-service:8083; do
  curl -fsS "http://localhost:${svc##*:}/q/health/ready" >/dev/null 2>&1 \
    || die "${svc%%:*} is not ready on port ${svc##*:}: start the stack with deploy/local/up.sh"
done
keycloak_ready || die "Keycloak (realm revenue) is not answering on port $KEYCLOAK_PORT: run deploy/local/up.sh"
curl -fsS "$SIM/q/health/ready" >/dev/null 2>&1 \
  || die "the CRM simulator is not answering on $SIM: the stack is not in sandbox mode (deploy/local/up.sh without \
CRM credentials, or CRM_SANDBOX=1)"
ORG="$(sim 200 GET /_sim/org)"
echo "$ORG" >"$WORK/org.json"
jq -e '.owners | length > 0' "$WORK/org.json" >/dev/null || die "the simulator's organisation has no owners"

# -------------------------------------------------------------------------------------------- routing set-up
step "configuring routing: reps mapped to the simulator's owners, two teams, SLA policies, a published rule set"
# SDRs (team 9001) become reps; the usernames are the owners' email local parts, so reruns update the same reps.
jq -r '.owners[] | select(.teamId == "9001") | [(.email | split("@")[0]), .hubspotOwnerId, .salesforceUserId,
  .email, ((.firstName // "") + " " + (.lastName // ""))] | @tsv' "$WORK/org.json" >"$WORK/sdrs.tsv"
SDR_COUNT=$(wc -l <"$WORK/sdrs.tsv")
[ "$SDR_COUNT" -ge 2 ] || die "the simulator has fewer than two SDR owners (team 9001); reassignment needs two"
while IFS=$'\t' read -r user hs sf email name; do
  must 200 PUT "$ROUTING/admin/reps/$user" alice.admin "$(jq -nc --arg n "$name" --arg e "$email" --arg hs "$hs" \
    --arg sf "$sf" '{displayName: $n, email: $e, hubspotOwnerId: $hs, salesforceOwnerId: $sf, timeZone: "UTC",
    skills: [], capacity: 1000, active: true}')" >/dev/null
done <"$WORK/sdrs.tsv"
# AEs own the deals
jq -r '.owners[] | select(.teamId == "9002") | .hubspotOwnerId' "$WORK/org.json" >"$WORK/aes.txt"
[ -s "$WORK/aes.txt" ] || cut -f2 "$WORK/sdrs.tsv" >"$WORK/aes.txt"

team_id() { # name -> id (created when missing)
  local id
  id="$(must 200 GET "$ROUTING/admin/teams" alice.admin | jq -r --arg n "$1" '.[] | select(.name == $n) | .id')"
  if [ -z "$id" ]; then
    id="$(must 201 POST "$ROUTING/admin/teams" alice.admin \
      "$(jq -nc --arg n "$1" '{name: $n, keycloakGroup: $n, managerUsername: "mark.manager"}')" | jq -r .id)"
  fi
  echo "$id"
}
FAST_TEAM="$(team_id sandbox-high-intent)"
INBOUND_TEAM="$(team_id sandbox-inbound)"
i=0
while IFS=$'\t' read -r user _; do
  i=$((i + 1))
  # the fast lane gets the first half of the SDRs; everybody is in the inbound team, with weights 1, 2, 3
  [ $((i * 2)) -le $((SDR_COUNT + 1)) ] && must 200 PUT "$ROUTING/admin/teams/$FAST_TEAM/members/$user" alice.admin \
    '{"weight":1}' >/dev/null
  must 200 PUT "$ROUTING/admin/teams/$INBOUND_TEAM/members/$user" alice.admin "{\"weight\":$((i % 3 + 1))}" >/dev/null
done <"$WORK/sdrs.tsv"

# Short wall-clock SLA targets so that untouched leads breach, are reassigned once, then escalate, within the run.
# They come before the stack's own policies (priorities 1-4; the seeded ones start at 10), and sandbox-other, with no
# tier, catches whatever the tiered ones do not: every lead routed while the run lasts gets a clock that ends within
# it, whatever its tier or channel (a lead under the seeded one-hour policy would keep the run from settling).
sla_policy() { # name priority tier|"" seconds active
  must 200 PUT "$ROUTING/admin/sla-policies/$1" alice.admin "$(jq -nc --arg n "$1" --argjson p "$2" --arg t "$3" \
    --argjson s "$4" --argjson a "$5" '{name: $n, priority: $p, intentTier: (if $t == "" then null else $t end),
    channel: null, targetSeconds: $s, clock: "WALL", warningRatio: 0.5, maxReassignments: 1,
    fallbackQueue: "sandbox-escalations", active: $a}')" >/dev/null
}
SLA_HIGH=45 SLA_MEDIUM=60 SLA_LOW=75
policies() { # true|false
  sla_policy sandbox-high 1 HIGH $SLA_HIGH "$1"
  sla_policy sandbox-medium 2 MEDIUM $SLA_MEDIUM "$1"
  sla_policy sandbox-low 3 LOW $SLA_LOW "$1"
  sla_policy sandbox-other 4 "" $SLA_LOW "$1"
}
policies true
policies_off() { policies false; }

RULES="$(jq -nc '{description: "sandbox scenario: high intent to the fast lane, everything else round robin",
  definition: {fallbackQueue: "sandbox-triage", routeDuplicatesToOwner: true, matchAccounts: false, rules: [
    {name: "High intent to the fast lane", when: {field: "intentTier", op: "in", values: ["HIGH", "high"]},
     then: {type: "team", team: "sandbox-high-intent", strategy: "WEIGHTED_ROUND_ROBIN", respectWorkingHours: false}},
    {name: "Everything else round robin",
     then: {type: "team", team: "sandbox-inbound", strategy: "WEIGHTED_ROUND_ROBIN", respectWorkingHours: false}}]}}')"
VERSION="$(must 201 POST "$ROUTING/routing/rule-sets" alice.admin "$RULES" | jq -r .version)"
must 200 POST "$ROUTING/routing/rule-sets/$VERSION/validate" alice.admin >/dev/null
must 200 POST "$ROUTING/routing/rule-sets/$VERSION/publish" alice.admin >/dev/null
step "rule set v$VERSION published; $SDR_COUNT reps; SLA targets HIGH ${SLA_HIGH}s, MEDIUM ${SLA_MEDIUM}s, \
LOW ${SLA_LOW}s"

# ------------------------------------------------------------------------------------------------------- leads
START="$(date -u -d '-5 seconds' +%Y-%m-%dT%H:%M:%SZ)"
JOURNAL_START="$(sim 200 GET "/_sim/writes?limit=1" | jq '.lastSeq')"
mapfile -t CAMPAIGNS < <(jq -r '.campaigns[].name' "$WORK/org.json")
[ "${#CAMPAIGNS[@]}" -gt 0 ] || die "the simulator has no campaigns"
FIRST=(Ada Grace Linus Margaret Alan Barbara Dennis Frances Ken Radia Tim Hedy Edsger Joan John Katherine)
LAST=(Lovelace Hopper Torvalds Hamilton Turing Liskov Ritchie Allen Thompson Perlman Berners Lamarr Dijkstra Clarke)
COUNTRIES=(Germany France "United States" "United Kingdom" Netherlands Spain Sweden Canada)
create_lead() { # n -> one lead in the simulator, appended to leads.tsv and wave.tsv
  local n="$1" crm=hubspot campaign r tier plan first last email body id
  [ $((RANDOM % 100)) -lt 15 ] && crm=salesforce
  campaign="${CAMPAIGNS[$((RANDOM % ${#CAMPAIGNS[@]}))]}"
  r=$((RANDOM % 100))
  tier=LOW; [ $r -lt 65 ] && tier=MEDIUM; [ $r -lt 30 ] && tier=HIGH
  # what the SDR will do: touch it (75%), touch it only after it was reassigned (10%), never touch it (15%)
  r=$((RANDOM % 100))
  plan=ignore; [ $r -lt 85 ] && plan=late; [ $r -lt 75 ] && plan=touch
  first="${FIRST[$((RANDOM % ${#FIRST[@]}))]}" last="${LAST[$((RANDOM % ${#LAST[@]}))]}"
  email="$(echo "$first.$last.$RUN.$n" | tr 'A-Z' 'a-z')@company$((RANDOM % 60)).example.com"
  body="$(jq -nc --arg crm "$crm" --arg e "$email" --arg f "$first" --arg l "$last" --arg c "$campaign" \
    --arg t "$tier" --arg co "${COUNTRIES[$((RANDOM % ${#COUNTRIES[@]}))]}" --argjson size $((RANDOM % 2000 + 5)) \
    '{crm: $crm, email: $e, firstName: $f, lastName: $l, company: ($l + " Corp"), country: $co, companySize: $size,
      campaign: $c, intentTier: $t}')"
  id="$(sim 201 POST /_sim/leads "$body" | jq -r .id)"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$crm" "$id" "$email" "$campaign" "$tier" "$plan" \
    | tee -a "$WORK/wave.tsv" >>"$WORK/leads.tsv"
}

# The CRM ids of this run's leads and deals, as a JSON array
run_ids() {
  touch "$WORK/deals.tsv"
  cut -f1,2 "$WORK/leads.tsv" "$WORK/deals.tsv" | tr '\t' '\n' | jq -R . | jq -sc .
}
# Commands of the gateway about this run's records, received since its start, with the given status
run_commands() { # status
  must 200 GET "$GW/admin/commands?status=$1&limit=500" alice.admin | jq --arg s "$START" --argjson ids "$(run_ids)" \
    '[.items[] | select(.receivedAt >= $s)
      | select(((.payload // "{}") | fromjson | .objectId // "" | tostring) as $o | $ids | index($o))] | length'
}

# Routing's view of this run's leads, as crmId -> lead, into $WORK/routing.json: it reads the newest leads until the
# run's start and keeps the run's own (other traffic on the same stack, e.g. the smoke test's, is not its business)
routing_leads() {
  local page=0 out="$WORK/routing.pages" body
  : >"$out"
  while :; do
    body="$(must 200 GET "$ROUTING/leads?size=500&page=$page&sort=newest" alice.admin)"
    echo "$body" | jq -c '.items[]' >>"$out"
    if [ "$(jq --arg s "$START" '(.items | length) < 500 or (.items[-1].receivedAt < $s)' <<<"$body")" = true ]
    then
      break
    fi
    page=$((page + 1))
  done
  jq -s --arg s "$START" --rawfile run "$WORK/leads.tsv" '($run | split("\n") | map(select(length > 0)
    | {key: split("\t")[1], value: true}) | from_entries) as $ids
    | map(select(.receivedAt >= $s and $ids[.crmId] != null)) | map({key: .crmId, value: .}) | from_entries' "$out" \
    >"$WORK/routing.json"
}

# The owner the gateway last wrote into the simulator for one record (empty when none yet)
sim_owner() { # crm id
  local field=hubspot_owner_id
  [ "$1" = salesforce ] && field=OwnerId
  sim 200 GET "/_sim/writes?objectId=$2&kind=owner" | jq -r --arg f "$field" '.writes | last | .fields[$f] // empty'
}

wait_for() { # description seconds command...: polls the command every 2 s until it succeeds
  local what="$1" limit="$2" t=0
  shift 2
  until "$@"; do
    [ "$t" -ge "$limit" ] && return 1
    sleep 2
    t=$((t + 2))
  done
  return 0
}

all_routed() {
  routing_leads
  local known decided
  known="$(jq 'length' "$WORK/routing.json")"
  decided="$(jq '[.[] | select(.status != "NEW")] | length' "$WORK/routing.json")"
  local expected
  expected="$(wc -l <"$WORK/leads.tsv")"
  printf '\r  lead-routing knows %s of %s leads, %s decided' "$known" "$expected" "$decided"
  [ "$known" -ge "$expected" ] && [ "$decided" -ge "$expected" ]
}
# ------------------------------------------------------------------------------------------------ first touches
touch_lead() { # crm id type -> logs a call or email by the owner the simulator recorded; 0 when done
  local owner outcome=connected
  owner="$(sim_owner "$1" "$2")"
  [ -n "$owner" ] || return 1
  [ $((RANDOM % 3)) = 0 ] && outcome=left-voicemail
  sim 201 POST /_sim/activities "$(jq -nc --arg crm "$1" --arg id "$2" --arg o "$owner" --arg t "$3" \
    --arg out "$outcome" '{crm: $crm, type: $t, personId: $id, ownerId: $o, outcome: $out, direction: "outbound"}')" \
    >/dev/null
  echo "$owner"
}
# The 'late' leads are touched by their second owner once the first one let the SLA breach and the reassignment's
# owner write reached the CRM; called between the phases so that the touch comes before the second breach.
late_touches() { # 0 when every late lead is done
  local pending=0 crm id plan
  routing_leads
  while IFS=$'\t' read -r crm id _ _ _ plan; do
    [ "$plan" = late ] || continue
    grep -qx "$id" "$WORK/late-done.txt" && continue
    if [ "$(jq -r --arg id "$id" '.[$id].reassignmentCount // 0' "$WORK/routing.json")" -ge 1 ] \
      && [ "$(jq -r --arg id "$id" '.[$id].slaState // ""' "$WORK/routing.json")" = RUNNING ]; then
      # the reassignment's owner write must have reached the CRM before the new owner can act on the lead
      local rep hs
      rep="$(jq -r --arg id "$id" '.[$id].owner // ""' "$WORK/routing.json")"
      hs="$(awk -F'\t' -v u="$rep" -v c="$crm" '$1 == u { print (c == "salesforce" ? $3 : $2) }' "$WORK/sdrs.tsv")"
      if [ -n "$hs" ] && [ "$(sim_owner "$crm" "$id")" = "$hs" ]; then
        touch_lead "$crm" "$id" call >/dev/null && echo "$id" | tee -a "$WORK/late-touched.txt" >>"$WORK/late-done.txt"
      else
        pending=$((pending + 1))
      fi
    elif [ "$(jq -r --arg id "$id" '.[$id].slaState // ""' "$WORK/routing.json")" = ESCALATED ]; then
      echo "$id" >>"$WORK/late-done.txt" # too late: escalated before the new owner's write reached the CRM
    else
      pending=$((pending + 1))
    fi
  done <"$WORK/leads.tsv"
  return $((pending > 0))
}
: >"$WORK/late-done.txt"
: >"$WORK/late-touched.txt"

# A compressed day comes in waves: each wave's leads arrive, are routed, and the SDRs work the ones they will touch
# (high intent first) before the next wave arrives, so that time to first touch stays like a working day's.
WAVE=25
step "$LEADS leads arrive in waves of $WAVE (run $RUN, seed $SEED); SDRs call or email each wave's new leads"
: >"$WORK/leads.tsv"
: >"$WORK/touched.tsv"
touched=0
for ((n = 1; n <= LEADS; n++)); do
  [ $(((n - 1) % WAVE)) = 0 ] && : >"$WORK/wave.tsv"
  create_lead "$n"
  [ $((n % WAVE)) = 0 ] || [ "$n" = "$LEADS" ] || continue
  if ! wait_for routing "$TIMEOUT" all_routed; then
    echo
    die "leads did not all reach lead-routing within $TIMEOUT s: is the gateway pointed at the simulator (sandbox \
mode)? See $RUN_DIR/gateway.log and GET $SIM/_sim/deliveries"
  fi
  echo
  for tier in HIGH MEDIUM LOW; do
    while IFS=$'\t' read -r crm id _ _ t plan; do
      [ "$t" = "$tier" ] && [ "$plan" = touch ] || continue
      type=call; [ $((RANDOM % 3)) = 0 ] && type=email
      owner=""
      for ((a = 0; a < 15; a++)); do owner="$(touch_lead "$crm" "$id" "$type")" && break; sleep 2; done
      [ -n "$owner" ] || die "no owner write reached the simulator for $crm lead $id within 30 s"
      printf '%s\t%s\n' "$id" "$owner" >>"$WORK/touched.tsv"
      touched=$((touched + 1))
    done <"$WORK/wave.tsv"
  done
  late_touches || true
  step "  $n leads arrived and routed, $touched touched, $(wc -l <"$WORK/late-touched.txt") after a reassignment"
done
step "$LEADS leads ($(grep -c $'^salesforce\t' "$WORK/leads.tsv") in Salesforce, the rest in HubSpot): \
$touched touched, $(grep -c $'\tlate$' "$WORK/leads.tsv") wait for a reassignment first, \
$(grep -c $'\tignore$' "$WORK/leads.tsv") are never touched"

# ---------------------------------------------------------------------------------------------- disqualifications
REASONS=(NO_BUDGET NOT_ICP BAD_TIMING COMPETITOR_CHOSEN UNRESPONSIVE)
step "SDRs disqualify some leads: with a reason, without one (the missing-reason loop), and one through feedback's API"
disq=0 noreason=0 viaapi=0
: >"$WORK/disqualified.txt"
while IFS=$'\t' read -r id owner; do
  line="$(grep -P "\t$id\t" "$WORK/leads.tsv")"
  crm="$(cut -f1 <<<"$line")" campaign="$(cut -f4 <<<"$line")"
  # content syndication and paid social bring worse leads: they are disqualified more often
  chance=15
  case "$campaign" in "Content Syndication") chance=45 ;; "LinkedIn ABM") chance=30 ;; esac
  [ $((RANDOM % 100)) -lt "$chance" ] || continue
  status=UNQUALIFIED; [ "$crm" = salesforce ] && status=Unqualified
  r=$((RANDOM % 100))
  if [ "$r" -lt 12 ] && [ "$viaapi" -lt 5 ]; then
    must 201 POST "$FEEDBACK/disqualifications" alice.admin "$(jq -nc --arg crm "$crm" --arg id "$id" \
      --arg code "${REASONS[$((RANDOM % ${#REASONS[@]}))]}" '{crm: $crm, crmId: $id, reasonCode: $code}')" >/dev/null
    viaapi=$((viaapi + 1))
  elif [ "$r" -lt 35 ]; then
    sim 200 POST "/_sim/leads/$id/status" "$(jq -nc --arg crm "$crm" --arg s "$status" --arg o "$owner" \
      '{crm: $crm, status: $s, byOwnerId: $o}')" >/dev/null
    noreason=$((noreason + 1))
  else
    sim 200 POST "/_sim/leads/$id/status" "$(jq -nc --arg crm "$crm" --arg s "$status" --arg o "$owner" \
      --arg reason "${REASONS[$((RANDOM % ${#REASONS[@]}))]}" '{crm: $crm, status: $s, reason: $reason,
      byOwnerId: $o}')" >/dev/null
  fi
  echo "$id" >>"$WORK/disqualified.txt"
  disq=$((disq + 1))
done <"$WORK/touched.tsv"
late_touches || true
step "$disq disqualified ($noreason without a reason, $viaapi through POST /disqualifications)"

# ---------------------------------------------------------------------------------------------------------- deals
stage_change() { sim 200 PATCH "/_sim/deals/$1" "$(jq -nc --arg s "$2" --arg d "$(date -u +%Y-%m-%d)" \
  '{crm: "hubspot", stage: $s} + (if ($s | startswith("closed")) then {closeDate: $d} else {} end)')" >/dev/null; }
mapfile -t AES <"$WORK/aes.txt"
step "deals: HubSpot leads that were worked become deals, move through the stages with touchpoints, some close"
: >"$WORK/deals.tsv"
while IFS=$'\t' read -r id owner; do
  grep -qx "$id" "$WORK/disqualified.txt" && continue
  line="$(grep -P "\t$id\t" "$WORK/leads.tsv")"
  [ "$(cut -f1 <<<"$line")" = hubspot ] || continue
  [ $((RANDOM % 100)) -lt 30 ] || continue
  ae="${AES[$((RANDOM % ${#AES[@]}))]}"
  amount=$(((RANDOM % 95 + 5) * 1000))
  deal="$(sim 201 POST /_sim/deals "$(jq -nc --arg id "$id" --arg o "$ae" --argjson a "$amount" \
    --arg name "$(cut -f3 <<<"$line" | cut -d@ -f2) - new business" \
    '{crm: "hubspot", name: $name, personId: $id, ownerId: $o, amount: $a, stage: "appointmentscheduled"}')" \
    | jq -r .id)"
  # touchpoints along the way: a second campaign response, the AE's discovery meeting on the deal
  sim 201 POST /_sim/campaign-members "$(jq -nc --arg id "$id" --arg c "${CAMPAIGNS[$((RANDOM % ${#CAMPAIGNS[@]}))]}" \
    '{crm: "hubspot", campaign: $c, personId: $id}')" >/dev/null
  sim 201 POST /_sim/activities "$(jq -nc --arg id "$id" --arg o "$ae" --arg d "$deal" \
    '{crm: "hubspot", type: "meeting", personId: $id, ownerId: $o, dealId: $d, subject: "Discovery"}')" >/dev/null
  stage_change "$deal" qualifiedtobuy
  r=$((RANDOM % 100))
  final=qualifiedtobuy
  if [ "$r" -lt 75 ]; then
    stage_change "$deal" presentationscheduled
    final=presentationscheduled
    if [ "$r" -lt 45 ]; then
      sim 201 POST /_sim/activities "$(jq -nc --arg id "$id" --arg o "$ae" --arg d "$deal" \
        '{crm: "hubspot", type: "email", personId: $id, ownerId: $o, dealId: $d, subject: "Proposal"}')" >/dev/null
      stage_change "$deal" closedwon
      final=closedwon
    elif [ "$r" -lt 65 ]; then
      stage_change "$deal" closedlost
      final=closedlost
    fi
  fi
  printf '%s\t%s\t%s\t%s\n' "$deal" "$id" "$amount" "$final" >>"$WORK/deals.tsv"
  [ $(($(wc -l <"$WORK/deals.tsv") % 5)) = 0 ] && { late_touches || true; }
done <"$WORK/touched.tsv"
step "$(wc -l <"$WORK/deals.tsv") deals: $(grep -c $'\tclosedwon$' "$WORK/deals.tsv") won, \
$(grep -c $'\tclosedlost$' "$WORK/deals.tsv") lost, the others still open"

# -------------------------------------------------------------------------------------------------------- dispute
dq_list() { must 200 GET "$FEEDBACK/disqualifications?from=$START&limit=500" molly.marketing; }
dq_recorded() {
  local n
  n="$(dq_list | jq '.items | length')"
  printf '\r  feedback recorded %s of %s disqualifications' "$n" "$disq"
  [ "$n" -ge "$disq" ]
}
step "marketing disputes a disqualification; the admin accepts it, so the lead is re-qualified and routed again"
wait_for feedback 120 dq_recorded || step "  (not all disqualifications reached feedback within 120 s)"
echo
DQ="$(dq_list | jq -r --argjson ids "$(run_ids)" '[.items[] | select(.state == "ACTIVE" and .reasonCode != null
  and (.crmId as $c | $ids | index($c)))] | first | .id // empty')"
DISPUTED_CRM_ID=""
DISPUTED_ASSIGNED_AT=""
if [ -n "$DQ" ]; then
  # the re-qualified lead is routed again, asynchronously: settling waits until routing has done it (a new assignment),
  # so that it happens while the run's SLA policies are on
  DISPUTED_CRM_ID="$(must 200 GET "$FEEDBACK/disqualifications/$DQ" molly.marketing | jq -r '.crmId // empty')"
  routing_leads
  DISPUTED_ASSIGNED_AT="$(jq -r --arg id "$DISPUTED_CRM_ID" '.[$id].assignedAt // "none"' "$WORK/routing.json")"
  DISPUTE="$(must 201 POST "$FEEDBACK/disqualifications/$DQ/disputes" molly.marketing \
    '{"comment":"This company matches our ICP; the call went to the wrong person."}' | jq -r .id)"
  must 200 POST "$FEEDBACK/disputes/$DISPUTE/accept" alice.admin '{"comment":"Agreed, back to the queue."}' >/dev/null
  step "dispute $DISPUTE accepted (lead ${DISPUTED_CRM_ID:-?})"
else
  step "  no disqualification with a reason reached feedback: no dispute"
fi

# ------------------------------------------------------------------------------- breaches, late touches, settling
settled() { # nothing running, nothing pending anywhere
  late_touches || { printf '\r  waiting for reassignments of the leads touched late'; return 1; }
  if [ -n "$DISPUTED_CRM_ID" ] && [ "$(jq -r --arg id "$DISPUTED_CRM_ID" '.[$id].assignedAt // "none"' \
    "$WORK/routing.json")" = "$DISPUTED_ASSIGNED_AT" ]; then
    printf '\r  waiting for lead-routing to route the re-qualified lead again'
    return 1
  fi
  local running pending outbox received dirty
  running="$(jq '[.[] | select(.slaState == "RUNNING" or .status == "NEW")] | length' "$WORK/routing.json")"
  pending="$(sim 200 GET /_sim/stats | jq '.pendingDeliveries')"
  outbox=0
  for url in $GW $ROUTING $ATTRIBUTION $FEEDBACK; do
    outbox=$((outbox + $(must 200 GET "$url/admin/outbox" alice.admin | jq '.pending')))
  done
  received="$(run_commands RECEIVED)"
  dirty="$(must 200 GET "$ATTRIBUTION/metrics/freshness" molly.marketing | jq '.dealsPendingRecompute // 0')"
  printf '\r  SLA clocks running %s, simulator deliveries pending %s, outbox rows pending %s, ' "$running" "$pending" \
    "$outbox"
  printf 'commands in flight %s, deals to recompute %s   ' "$received" "$dirty"
  [ "$running" = 0 ] && [ "$pending" = 0 ] && [ "$outbox" = 0 ] && [ "$received" = 0 ] && [ "$dirty" = 0 ]
}
twice_settled() { settled && sleep 3 && settled; }
step "letting the clock run: untouched leads breach, are reassigned, are touched late or escalate"
if ! wait_for settle "$TIMEOUT" twice_settled; then
  echo
  policies_off
  die "the stack did not settle within $TIMEOUT s (see the figures above)"
fi
echo
policies_off
END="$(date -u -d '+5 seconds' +%Y-%m-%dT%H:%M:%SZ)"

# --------------------------------------------------------------------------------------------------------- report
Q="from=$START&to=$END"
must 200 GET "$ROUTING/routing/metrics/speed-to-lead?groupBy=channel&$Q" alice.admin >"$WORK/speed.json"
must 200 GET "$ROUTING/routing/metrics/speed-to-lead?groupBy=all&$Q" alice.admin >"$WORK/speed-all.json"
must 200 GET "$ROUTING/routing/breaches?from=$START&size=500" alice.admin >"$WORK/breaches.json"
must 200 GET "$FEEDBACK/insights/aggregates?dimension=source&$Q" molly.marketing >"$WORK/aggregates.json"
must 200 GET "$FEEDBACK/disqualifications/missing-reasons" molly.marketing >"$WORK/missing.json"
must 200 GET "$ATTRIBUTION/metrics/qpc?groupBy=channel&$Q" molly.marketing >"$WORK/qpc.json"
must 200 GET "$ATTRIBUTION/metrics/pipeline-to-revenue?$Q" molly.marketing >"$WORK/p2r.json"
must 200 GET "$ATTRIBUTION/metrics/sourced-vs-influenced?$Q" molly.marketing >"$WORK/sourced.json"
routing_leads

money() { printf '$%s' "$(printf '%d' "$(($1 / 100))" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')"; }
secs() { jq -r 'if . == null then "-" else (. * 10 | round / 10 | tostring) + "s" end' <<<"$1"; }

echo
echo "=================================== A day in the life: report (run $RUN, $LEADS leads, seed $SEED)"
echo "Read from the services' REST APIs for leads received in [$START, $END)."
echo
echo "Speed to lead by channel (lead-routing GET /routing/metrics/speed-to-lead?groupBy=channel)"
printf '  %-14s %6s %8s %9s %9s %10s\n' channel leads touched "TTFT p50" "TTFT p90" "SLA met"
jq -r '.rows[] | [.group, .leads, .touched, .ttftP50, .ttftP90, .slaMet, .slaBreached, .slaAttainment] | @tsv' \
  "$WORK/speed.json" | while IFS=$'\t' read -r g l t p50 p90 met br att; do
  printf '  %-14s %6s %8s %9s %9s %10s\n' "$g" "$l" "$t" "$(secs "$p50")" "$(secs "$p90")" \
    "$(jq -rn --arg a "$att" 'if $a == "" then "-" else ($a | tonumber * 100 | round | tostring) + "%" end')"
done
read -r ALL_LEADS ALL_MET ALL_BREACHED ALL_ATT ALL_NEVER < <(jq -r '.rows[0] | [.leads, .slaMet, .slaBreached,
  ((.slaAttainment // 0) * 100 | round), .neverTouched] | @tsv' "$WORK/speed-all.json")
echo "  all: $ALL_LEADS leads, SLA attainment $ALL_ATT% ($ALL_MET met, $ALL_BREACHED breached)," \
  "never touched $ALL_NEVER"
BREACHES="$(jq '.total' "$WORK/breaches.json")"
REASSIGNED_LEADS="$(jq '[.[] | select(.reassignmentCount > 0)] | length' "$WORK/routing.json")"
REASSIGNMENTS="$(jq '[.[] | .reassignmentCount] | add // 0' "$WORK/routing.json")"
ESCALATED="$(jq '[.[] | select(.slaState == "ESCALATED")] | length' "$WORK/routing.json")"
echo "SLA breaches (GET /routing/breaches): $BREACHES; reassignments: $REASSIGNMENTS on $REASSIGNED_LEADS leads;" \
  "escalated to the queue: $ESCALATED"
jq -r '[.items[] | .outcome] | group_by(.) | map("  breach outcome \(.[0]): \(length)") | .[]' "$WORK/breaches.json"
echo
echo "Disqualification by source (feedback GET /insights/aggregates?dimension=source)"
jq -r '.values[] | [.value, .leads, .disqualified, (.rate // 0),
  ((.reasons // {}) | to_entries | map("\(.key) \(.value)") | join(", "))] | @tsv' "$WORK/aggregates.json" \
  | while IFS=$'\t' read -r v l d rate reasons; do
  printf '  %-18s %4s leads %4s disqualified %6s   %s\n' "$v" "$l" "$d" \
    "$(jq -rn --arg r "$rate" '($r | tonumber * 1000 | round / 10 | tostring) + "%"')" "$reasons"
done
ALL_DQ="$(jq -r '"\(.leads) leads, \(.disqualified) disqualified (\(.baselineRate * 1000 | round / 10)%)"' \
  "$WORK/aggregates.json")"
echo "  all sources: $ALL_DQ; reasons: $(jq -r '.baselineReasons | to_entries | map("\(.key) \(.value)")
  | join(", ")' "$WORK/aggregates.json")"
echo "Missing reasons (GET /disqualifications/missing-reasons): $(jq '(.items // .) | length' \
  "$WORK/missing.json") open" \
  "(this run: $noreason disqualified without a reason)"
echo
echo "Revenue (attribution; definition v$(jq -r '.definition.version' "$WORK/qpc.json")," \
  "model $(jq -r '.model' "$WORK/qpc.json"))"
echo "  QPC: $(money "$(jq '[.rows[].amountMinor] | add // 0' "$WORK/qpc.json")") in $(jq '[.rows[].deals] | max // 0' \
  "$WORK/qpc.json") deals; by channel: $(jq -r '[.rows[] | "\(.key) \(.amountMinor / 100 | round)"] | join(", ")' \
  "$WORK/qpc.json")"
jq -r '.rows[] | [.key, .qualifiedMinor, .wonWithinCycleMinor, .qualifiedDeals, .wonDeals, .rate] | @tsv' \
  "$WORK/p2r.json" | while IFS=$'\t' read -r k q w qd wd rate; do
  echo "  pipeline-to-revenue, $k: $(money "$q") qualified ($qd deals) -> $(money "$w") won ($wd deals):" \
    "$(jq -rn --arg r "$rate" '($r | tonumber * 100 | round | tostring) + "%"')"
done
echo "  Credit of the deals won, by channel (GET /metrics/sourced-vs-influenced):"
printf '    %-14s %14s %14s %16s\n' channel "first touch" "last touch" "influenced (*)"
jq -r '.rows[] | [.channel, .sourcedMinor, .lastTouchMinor, .influencedMinor] | @tsv' "$WORK/sourced.json" \
  | while IFS=$'\t' read -r c s l inf; do
    printf '    %-14s %14s %14s %16s\n' "$c" "$(money "$s")" "$(money "$l")" "$(money "$inf")"
  done
echo "    (*) influenced is not additive: every channel that touched a won deal gets its whole amount"
echo

# -------------------------------------------------------------------------------------------------- reconciliation
step "reconciling the report with what the simulator recorded"
failures=0
check() { # ok? description
  if [ "$1" = 0 ]; then log "ok   $2"; else log "FAIL $2"; failures=$((failures + 1)); fi
}
KNOWN="$(cut -f2 "$WORK/leads.tsv" | jq -R . | jq -s --slurpfile r "$WORK/routing.json" \
  '[.[] | select($r[0][.] == null)]')"
check "$([ "$(jq length <<<"$KNOWN")" = 0 ]; echo $?)" \
  "every lead created in the simulator is known to lead-routing (missing: $(jq -c '.[:10]' <<<"$KNOWN"))"

# the final owner of every lead in the CRM, read through the simulator's own APIs
hs_ids="$(grep $'^hubspot\t' "$WORK/leads.tsv" | cut -f2)"
: >"$WORK/crm-owners.tsv"
while read -r chunk; do
  [ -n "$chunk" ] || continue
  curl -sS -X POST "$SIM/crm/v3/objects/contacts/batch/read" \
    -H 'Authorization: Bearer sandbox-hubspot-private-app-token' \
    -H 'Content-Type: application/json' -d "$(jq -nc --arg ids "$chunk" '{properties: ["hubspot_owner_id"],
    inputs: ($ids | split(" ") | map({id: .}))}')" | jq -r '.results[] | [.id, (.properties.hubspot_owner_id // "")]
    | @tsv' >>"$WORK/crm-owners.tsv"
done < <(echo "$hs_ids" | xargs -n 100 | sed 's/ *$//')
sf_ids="$(grep $'^salesforce\t' "$WORK/leads.tsv" | cut -f2)"
if [ -n "$sf_ids" ]; then
  SF_TOKEN="$(curl -sS -X POST "$SIM/services/oauth2/token" -d grant_type=client_credentials \
    -d client_id=sandbox-salesforce-consumer-key -d client_secret=sandbox-salesforce-consumer-secret \
    | jq -r .access_token)"
  while read -r chunk; do
    [ -n "$chunk" ] || continue
    soql="SELECT Id, OwnerId FROM Lead WHERE Id IN ('$(echo "$chunk" | sed "s/ /','/g")')"
    curl -sS -G "$SIM/services/data/v67.0/query" -H "Authorization: Bearer $SF_TOKEN" --data-urlencode "q=$soql" \
      | jq -r '.records[] | [.Id, (.OwnerId // "")] | @tsv' >>"$WORK/crm-owners.tsv"
  done < <(echo "$sf_ids" | xargs -n 100 | sed 's/ *$//')
fi

# Every owner write of the run, in one read of the journal (it keeps the latest 200,000 entries)
: >"$WORK/owner-writes.json"
after="$JOURNAL_START"
while :; do
  page="$(sim 200 GET "/_sim/writes?kind=owner&after=$after&limit=10000")"
  jq -c '.writes[]' <<<"$page" >>"$WORK/owner-writes.json"
  [ "$(jq '.writes | length' <<<"$page")" -lt 10000 ] && break
  after="$(jq '.writes[-1].seq' <<<"$page")"
done
# one pass: per routed lead the number of owner writes, routing's owner (as a CRM owner id) and the CRM's owner;
# Salesforce ids are compared on their first 15 characters (the journal and the API may use 15 or 18)
jq -nr --slurpfile routing "$WORK/routing.json" --slurpfile writes <(jq -s . "$WORK/owner-writes.json") \
  --rawfile leads "$WORK/leads.tsv" --rawfile reps "$WORK/sdrs.tsv" --rawfile crm "$WORK/crm-owners.tsv" \
  --arg disputed "$DISPUTED_CRM_ID" '
  def k: .[0:15];
  def rows($t): $t | split("\n") | map(select(length > 0) | split("\t"));
  (rows($reps) | map({key: .[0], value: {hubspot: .[1], salesforce: .[2]}}) | from_entries) as $rep
  | (rows($crm) | map({key: (.[0] | k), value: .[1]}) | from_entries) as $owner
  | ($writes[0] | group_by(.objectId | k) | map({key: (.[0].objectId | k), value: length}) | from_entries) as $count
  | rows($leads)[] | .[0] as $c | .[1] as $id | $routing[0][$id] as $l
  | select($l != null and $l.owner != null)
  | ($rep[$l.owner][$c] // "?") as $expected | ($owner[$id | k] // "") as $actual | ($count[$id | k] // 0) as $n
  | [$c, $id, $l.owner, $expected, $actual, $n, $l.reassignmentCount, (if $id == $disputed then 1 else 0 end)]
  | @tsv' >"$WORK/owner-check.tsv"
routed="$(wc -l <"$WORK/owner-check.tsv")"
no_write="$(awk -F'\t' '$6 < 1 { n++; print "    " $1 " lead " $2 " routed to " $3 ": no owner write" >"/dev/stderr" }
  END { print n + 0 }' "$WORK/owner-check.tsv")"
wrong_owner="$(awk -F'\t' 'substr($4, 1, 15) != substr($5, 1, 15) { n++; print "    " $1 " lead " $2 \
  ": routing says " $3 " (" $4 "), the CRM says \x27" $5 "\x27" >"/dev/stderr" } END { print n + 0 }' \
  "$WORK/owner-check.tsv")"
# one decision, one write: a lead never reassigned nor re-qualified has exactly one owner write
extra_writes="$(awk -F'\t' '$7 == 0 && $8 == 0 && $6 > 1 { n++; print "    " $1 " lead " $2 ": " $6 \
  " owner writes for one routing decision" >"/dev/stderr" } END { print n + 0 }' "$WORK/owner-check.tsv")"
check "$((no_write > 0))" \
  "every routed lead ($routed) has at least one owner write in the simulator ($no_write without)"
check "$((wrong_owner > 0))" "every routed lead's owner in the CRM is lead-routing's owner ($wrong_owner differ)"
check "$((extra_writes > 0))" "a lead routed once has exactly one owner write ($extra_writes with more)"
PENDING="$(sim 200 GET /_sim/stats | jq '.pendingDeliveries')"
check "$((PENDING != 0))" "the simulator has no delivery pending ($PENDING)"
GW_OUTBOX="$(must 200 GET "$GW/admin/outbox" alice.admin | jq '.pending')"
check "$((GW_OUTBOX != 0))" "the gateway's outbox is empty ($GW_OUTBOX pending)"
# commands about this run's records only: other traffic on the same stack may fail at the same time without being
# this run's business
FAILED_CMDS="$(run_commands FAILED)"
check "$((FAILED_CMDS != 0))" "no CRM command of this run failed in the gateway ($FAILED_CMDS failed)"
TOUCHED_METRIC="$(jq '[.rows[].touched] | add // 0' "$WORK/speed.json")"
TOUCHED_SIM="$(( $(wc -l <"$WORK/touched.tsv") + $(wc -l <"$WORK/late-touched.txt") ))"
check "$((TOUCHED_METRIC < $(wc -l <"$WORK/touched.tsv")))" \
  "speed-to-lead counts the touched leads ($TOUCHED_METRIC touched; a first activity was logged on $TOUCHED_SIM)"
DQ_FEEDBACK="$(dq_list | jq '.items | length')"
check "$((DQ_FEEDBACK != disq))" "feedback recorded every disqualification of the run ($DQ_FEEDBACK of $disq)"

echo
if [ "$failures" = 0 ]; then
  step "scenario passed: the report agrees with the simulator"
else
  step "scenario FAILED: $failures reconciliation checks do not hold"
  exit 1
fi
