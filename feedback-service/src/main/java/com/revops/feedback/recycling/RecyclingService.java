package com.revops.feedback.recycling;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.commands.CrmCommands;
import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.disqualification.Disqualification;
import com.revops.feedback.events.FeedbackEvents;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/** On a recycle date: the lead goes back to nurture in the CRM and {@code lead.recycled} is published. */
@ApplicationScoped
public class RecyclingService {

    private final CrmCommands commands;
    private final FeedbackEvents events;
    private final FeedbackConfig config;
    private final MeterRegistry registry;

    public RecyclingService(CrmCommands commands, FeedbackEvents events, FeedbackConfig config,
            MeterRegistry registry) {
        this.commands = commands;
        this.events = events;
        this.config = config;
        this.registry = registry;
    }

    /** Runs in the timer's transaction; a disqualification that is no longer active is left alone. */
    public Uni<Void> recycle(Disqualification d) {
        if (!d.isActive() || d.recycleAt == null) {
            return Uni.createFrom().voidItem();
        }
        String status = d.crm == null ? null : config.recycling().status().get(d.crm);
        if (status == null) {
            Log.warnf("no nurture status configured for crm %s: lead %s recycled without a CRM status change",
                    d.crm, d.leadId);
        }
        Instant now = Instant.now();
        d.state = Disqualification.RECYCLED;
        d.recycledAt = now;
        d.closedAt = now;
        d.updatedAt = now;
        int number = d.recycleNumber == null ? 1 : d.recycleNumber;
        registry.counter("feedback.recycled", "reason", String.valueOf(d.reasonCode)).increment();
        Uni<?> command = status == null || d.crmId == null ? Uni.createFrom().voidItem()
                : commands.setStatus(d.crm, d.crmId, status, "recycled after " + d.reasonCode);
        return command.chain(() -> events.publish(FeedbackEvents.LEAD_RECYCLED, d.leadId,
                new FeedbackEvents.LeadRecycled(d.leadId, d.crm, d.crmId, d.id, d.reasonCode, number, status, now)))
                .replaceWithVoid();
    }
}
