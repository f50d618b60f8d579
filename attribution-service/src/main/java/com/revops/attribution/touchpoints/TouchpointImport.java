package com.revops.attribution.touchpoints;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import com.revops.platform.web.Problem;

/** A touchpoint imported over REST (offline events, partner reports, backfills). */
public record TouchpointImport(UUID id, String crm, String personEmail, UUID leadId, String accountDomain,
        Instant occurredAt, String type, String channel, String source, String campaign, String team) {

    public static final Set<String> TEAMS = Set.of("marketing", "sdr", "ae", "partner");

    public List<Problem.Violation> violations() {
        List<Problem.Violation> v = new ArrayList<>();
        if (occurredAt == null) {
            v.add(new Problem.Violation("occurredAt", "required: a touch without a time cannot be attributed"));
        } else if (occurredAt.isAfter(Instant.now().plusSeconds(300))) {
            v.add(new Problem.Violation("occurredAt", "must not be in the future"));
        }
        if (type == null || type.isBlank()) {
            v.add(new Problem.Violation("type", "required (ad-click, form-submission, webinar, email-click, sdr-call,"
                    + " ae-meeting, ...)"));
        }
        if (crm == null || crm.isBlank()) {
            v.add(new Problem.Violation("crm", "required"));
        }
        if (team != null && !TEAMS.contains(team)) {
            v.add(new Problem.Violation("team", "one of " + TEAMS));
        }
        if ((personEmail == null || personEmail.isBlank()) && leadId == null
                && (accountDomain == null || accountDomain.isBlank())) {
            v.add(new Problem.Violation("personEmail", "a person (personEmail or leadId) or an account is required"));
        }
        return v;
    }
}
