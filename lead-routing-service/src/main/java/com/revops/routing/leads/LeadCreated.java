package com.revops.routing.leads;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * This service's copy of the gateway's {@code lead.created} v1 payload (see gateway/src/main/resources/asyncapi).
 * Unknown fields are ignored so that the gateway can add fields without breaking us.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeadCreated(
        UUID leadId,
        String crm,
        String crmId,
        String email,
        String firstName,
        String lastName,
        String company,
        String country,
        String companySize,
        String industry,
        String region,
        String language,
        java.math.BigDecimal score,
        String campaign,
        java.util.Map<String, Object> customFields,
        String source,
        String channel,
        String intentTier,
        Instant createdAt) {
}
