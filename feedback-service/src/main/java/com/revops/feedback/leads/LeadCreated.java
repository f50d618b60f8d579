package com.revops.feedback.leads;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's copy of the gateway's {@code lead.created} v1 payload: only the fields feedback uses. {@code form}
 * and {@code seniority} are optional: kept when a gateway mapping provides them.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeadCreated(
        UUID leadId,
        String crm,
        String crmId,
        String email,
        String company,
        String country,
        String companySize,
        String industry,
        String source,
        String channel,
        String campaign,
        String intentTier,
        String form,
        String seniority,
        String status,
        String owner,
        Instant createdAt) {
}
