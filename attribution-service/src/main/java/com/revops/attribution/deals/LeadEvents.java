package com.revops.attribution.deals;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's copies of the lead payloads it consumes. */
public final class LeadEvents {

    private LeadEvents() {
    }

    /** gateway {@code lead.created} v1 (the fields attribution needs). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeadCreated(UUID leadId, String crm, String crmId, String email, String company, String source,
            String channel, String campaign, Instant createdAt, String accountDomain) {
    }

    /** lead-routing {@code lead.first-touched} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LeadFirstTouched(UUID leadId, String ownerUsername, String channel, String source, String via,
            String activityType, Instant assignedAt, Instant touchedAt, Long ttftSeconds) {
    }
}
