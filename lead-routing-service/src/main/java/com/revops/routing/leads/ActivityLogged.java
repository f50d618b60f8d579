package com.revops.routing.leads;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's copy of the gateway's {@code activity.logged} v1 payload. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ActivityLogged(UUID activityId, String crm, String crmId, String type, String direction,
        String ownerId, UUID leadId, String crmPersonId, String personEmail, Instant occurredAt, String outcome) {
}
