package com.revops.routing.assignment;

import java.time.Instant;
import java.util.UUID;

/** Payload of {@code lead.routed} v1 (see src/main/resources/asyncapi/asyncapi.yaml). */
public record LeadRouted(UUID leadId, String crm, String crmId, UUID decisionId, String reason, String ownerUsername,
        String ownerCrmId, String previousOwnerUsername, UUID teamId, String teamName, String fallbackQueue,
        Integer ruleSetVersion, String ruleName, String channel, String source, String intentTier,
        Instant leadCreatedAt, Instant routedAt, Long routingDelayMillis, String slaPolicy, Instant slaDueAt,
        int reassignmentCount) {
}
