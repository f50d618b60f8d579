package com.revops.attribution.touchpoints;

import java.time.Instant;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's copy of the gateway's {@code touchpoint.recorded} v1 payload. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record TouchpointRecorded(
        UUID touchpointId,
        String crm,
        String personEmail,
        String crmPersonId,
        UUID leadId,
        String accountDomain,
        Instant occurredAt,
        String type,
        String channel,
        String source,
        String campaign,
        String team) {
}
