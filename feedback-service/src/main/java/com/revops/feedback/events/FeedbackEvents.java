package com.revops.feedback.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;

import io.smallrye.mutiny.Uni;

/**
 * The events this service publishes on {@code feedback.events} (documented in {@code asyncapi/asyncapi.yaml}), always
 * through the outbox, inside the transaction of the change they describe.
 */
@ApplicationScoped
public class FeedbackEvents {

    public static final String RECORDED = "disqualification.recorded";
    public static final String REASON_PROVIDED = "disqualification.reason-provided";
    public static final String REASON_OVERDUE = "disqualification.reason-overdue";
    public static final String SCORING_FEEDBACK = "scoring.feedback";
    public static final String LEAD_RECYCLED = "lead.recycled";
    public static final String LEAD_REQUALIFIED = "lead.requalified";
    public static final String DISPUTE_OPENED = "dispute.opened";
    public static final String DISPUTE_RESOLVED = "dispute.resolved";

    private final Outbox outbox;

    public FeedbackEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    /** Enqueues {@code data} as a v1 event of {@code type} about {@code lead/<leadId>}. */
    public Uni<EventEnvelope> publish(String type, UUID leadId, Object data) {
        return outbox.enqueue(Exchanges.FEEDBACK_EVENTS, type, 1, leadId == null ? null : "lead/" + leadId, data);
    }

    /** Enqueues an event whose subject is not a lead. */
    public Uni<EventEnvelope> publish(String type, String subject, Object data) {
        return outbox.enqueue(Exchanges.FEEDBACK_EVENTS, type, 1, subject, data);
    }

    /** {@code disqualification.recorded} v1. */
    public record Recorded(UUID disqualificationId, UUID leadId, String crm, String crmId, String crmStatus,
            String reasonState, String reasonCode, String reasonCategory, String reasonRaw, Integer taxonomyVersion,
            Instant disqualifiedAt, String capturedVia, String company, String source, String channel,
            String campaign, String form, String country, String companySize, String industry, String seniority,
            String intentTier, String ownerUsername, String ownerCrmId, String teamName, String routingRule,
            Long leadAgeSeconds, Long ttftSeconds, boolean noContactAttempt) {
    }

    /** {@code disqualification.reason-provided} v1. */
    public record ReasonProvided(UUID disqualificationId, UUID leadId, String crm, String crmId, String reasonCode,
            String reasonCategory, String note, Integer taxonomyVersion, Instant providedAt, String providedBy,
            boolean wasMissing, Long secondsToReason, String previousReasonCode) {
    }

    /** {@code disqualification.reason-overdue} v1: tells the owner's manager that a reason is still missing. */
    public record ReasonOverdue(UUID disqualificationId, UUID leadId, String crm, String crmId, String ownerUsername,
            String ownerCrmId, String teamName, Instant disqualifiedAt, long missingForSeconds, int remindersSent,
            String managerName) {
    }

    /** {@code lead.recycled} v1. */
    public record LeadRecycled(UUID leadId, String crm, String crmId, UUID disqualificationId, String reasonCode,
            int recycleNumber, String status, Instant recycledAt) {
    }

    /** {@code lead.requalified} v1: lead-routing routes the lead again. */
    public record LeadRequalified(UUID leadId, String crm, String crmId, UUID disputeId, Instant requalifiedAt,
            String by) {
    }

    /** {@code dispute.opened} v1. */
    public record DisputeOpened(UUID disputeId, UUID disqualificationId, UUID leadId, String teamName,
            String reasonCode, String openedBy, Instant openedAt, String comment) {
    }

    /** {@code dispute.resolved} v1. */
    public record DisputeResolved(UUID disputeId, UUID disqualificationId, UUID leadId, String teamName,
            String outcome, String resolvedBy, Instant resolvedAt, String comment) {
    }

    /** {@code scoring.feedback} v1: one dimension's values with their rates, intervals and suggested adjustments. */
    public record ScoringFeedback(String dimension, Instant from, Instant to, long baselineLeads,
            double baselineRate, double baselineFitRate, List<?> values, Instant computedAt) {
    }
}
