package com.revops.routing.leads;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's copy of feedback-service's {@code lead.requalified} v1 payload. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeadRequalified(UUID leadId, String crm, String crmId, UUID disputeId, Instant requalifiedAt,
        String by) {
}
