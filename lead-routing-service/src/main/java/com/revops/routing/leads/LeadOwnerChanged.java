package com.revops.routing.leads;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's copy of the gateway's {@code lead.owner-changed} v1 payload. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record LeadOwnerChanged(UUID leadId, String crm, String crmId, String fromOwner, String toOwner,
        Instant changedAt) {
}
