package com.revops.feedback.disqualification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A disqualification as the API shows it. */
public record DisqualificationView(UUID id, UUID leadId, String crm, String crmId, String crmStatus, String state,
        String reasonState, String reasonCode, String reasonCategory, String reasonRaw, String note,
        Integer taxonomyVersion, Instant disqualifiedAt, Instant reasonProvidedAt, String capturedVia,
        String capturedBy, String company, String source, String channel, String campaign, String form,
        String country, String companySize, String industry, String seniority, String intentTier,
        String ownerUsername, String ownerCrmId, String teamName, String routingRule, Instant leadCreatedAt,
        Long leadAgeSeconds, Instant firstTouchedAt, Long ttftSeconds, boolean noContactAttempt, int remindersSent,
        Instant managerNotifiedAt, Instant recycleAt, Integer recycleNumber, boolean recycleCapped,
        Instant recycledAt, Instant closedAt, Instant crmDeletedAt, UUID mergedFromLeadId, UUID supersededBy) {

    public static DisqualificationView of(Disqualification d) {
        return new DisqualificationView(d.id, d.leadId, d.crm, d.crmId, d.crmStatus, d.state, d.reasonState,
                d.reasonCode, d.reasonCategory, d.reasonRaw, d.note, d.taxonomyVersion, d.disqualifiedAt,
                d.reasonProvidedAt, d.capturedVia, d.capturedBy, d.company, d.source, d.channel, d.campaign, d.form,
                d.country, d.companySize, d.industry, d.seniority, d.intentTier, d.ownerUsername, d.ownerCrmId,
                d.teamName, d.routingRule, d.leadCreatedAt, d.leadAgeSeconds, d.firstTouchedAt, d.ttftSeconds,
                d.noContactAttempt, d.remindersSent, d.managerNotifiedAt, d.recycleAt, d.recycleNumber,
                d.recycleCapped, d.recycledAt, d.closedAt, d.crmDeletedAt, d.mergedFromLeadId, d.supersededBy);
    }

    /** The CSV columns, in order. */
    public static final List<String> CSV_HEADER = List.of("id", "leadId", "crm", "crmId", "disqualifiedAt", "state",
            "reasonState", "reasonCode", "reasonCategory", "note", "company", "source", "channel", "campaign", "form",
            "country", "companySize", "industry", "seniority", "intentTier", "ownerUsername", "teamName",
            "routingRule", "leadAgeSeconds", "ttftSeconds", "noContactAttempt", "reasonProvidedAt", "recycledAt");

    public List<Object> csvRow() {
        return java.util.Arrays.asList(id, leadId, crm, crmId, disqualifiedAt, state, reasonState, reasonCode,
                reasonCategory, note, company, source, channel, campaign, form, country, companySize, industry,
                seniority, intentTier, ownerUsername, teamName, routingRule, leadAgeSeconds, ttftSeconds,
                noContactAttempt, reasonProvidedAt, recycledAt);
    }

    /** One page of a list and the cursor of the next (null on the last page). */
    public record Page<T>(List<T> items, String nextCursor) {
    }

    /** A missing reason on the loop's list. */
    public record MissingReason(UUID id, UUID leadId, String crm, String crmId, String company, String ownerUsername,
            String ownerCrmId, String teamName, Instant disqualifiedAt, long daysMissing, int remindersSent,
            Instant managerNotifiedAt, String reasonRaw, boolean noContactAttempt) {
    }
}
