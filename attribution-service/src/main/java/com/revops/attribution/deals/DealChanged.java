package com.revops.attribution.deals;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** This service's copy of the gateway's {@code deal.changed} v1 payload. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DealChanged(UUID dealId, String crm, String crmId, String name, String stage, String previousStage,
        String pipeline, String amount, String currency, String closeDate, String owner, String contacts,
        Map<String, UUID> contactLeadIds, String companies, Boolean isNew, Boolean deleted, JsonNode changes,
        Instant modifiedAt, String createdAt) {

    public boolean changed(String field) {
        return changes != null && changes.has(field);
    }
}
