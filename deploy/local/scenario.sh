#!/usr/bin/env bash
# "A day in the life", compressed into a few minutes, against the stack deploy/local/up.sh runs in sandbox mode (the
# CRM simulator on port 8090 instead of real CRMs). It configures routing through lead-routing's admin API, plays the
# day through the simulator's driving API (leads from several channels and intent tiers, SDR calls and emails by the
# owner the gateway wrote into the CRM, untouched leads that breach their SLA and are reassigned, disqualifications
# with and without reasons, a dispute, deals moving through stages with touchpoints, some won, some lost), prints a
# report read from the services' own REST APIs, then reconciles it with what the simulator recorded and exits 1 on a
# mismatch.
#   deploy/local/scenario.sh [--leads N] [--seed S] [--timeout SECONDS]
# Needs curl and jq. It changes the stack's routing model (reps, two teams, a published rule set) and adds short
# SLA policies (sandbox-*, one per intent tier and a tierless one for any other lead) that it switches off again at the
# end; every run uses fresh emails and looks only at its own leads, so it can run again, beside other traffic.
# deploy/local/smoke.sh (and so CI) plays it with 24 leads.
set -uo pipefail
exec bash "$(cd "$(dirname "$0")/../scenario" && pwd)/scenario.sh" "$@"
