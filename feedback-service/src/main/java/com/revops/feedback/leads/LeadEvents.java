package com.revops.feedback.leads;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** This service's copies of the other event payloads it consumes (only the fields it uses). */
public final class LeadEvents {

    private LeadEvents() {
    }

    /** gateway {@code lead.status-changed} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record StatusChanged(UUID leadId, String crm, String crmId, String from, String to,
            String disqualificationReason, Boolean reasonOnly, Instant changedAt) {
        public boolean isReasonOnly() {
            return Boolean.TRUE.equals(reasonOnly);
        }
    }

    /** gateway {@code lead.updated} v1: canonical field -> {from, to}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Updated(UUID leadId, String crm, String crmId, Map<String, Change> changes, Instant changedAt) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Change(String from, String to) {
    }

    /** gateway {@code lead.owner-changed} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record OwnerChanged(UUID leadId, String crm, String crmId, String fromOwner, String toOwner) {
    }

    /** gateway {@code activity.logged} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ActivityLogged(UUID activityId, String crm, String crmId, String type, String direction,
            String ownerId, UUID leadId, String crmPersonId, Instant occurredAt) {
    }

    /** lead-routing {@code lead.routed} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Routed(UUID leadId, String crm, String crmId, String ownerUsername, String ownerCrmId,
            UUID teamId, String teamName, Integer ruleSetVersion, String ruleName, String reason, Instant routedAt) {
    }

    /** lead-routing {@code lead.first-touched} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record FirstTouched(UUID leadId, String ownerUsername, Instant touchedAt, Long ttftSeconds) {
    }

    /** gateway {@code contact.deleted} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContactDeleted(UUID leadId, String crm, String crmId) {
    }

    /** gateway {@code contact.merged} v1. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContactMerged(UUID leadId, String crm, String primaryCrmId, java.util.List<String> mergedCrmIds,
            String newCrmId) {
    }
}
