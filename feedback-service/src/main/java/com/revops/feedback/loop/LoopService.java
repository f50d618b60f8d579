package com.revops.feedback.loop;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.commands.CrmCommands;
import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.disqualification.CaptureService;
import com.revops.feedback.disqualification.Disqualification;
import com.revops.feedback.events.FeedbackEvents;
import com.revops.feedback.notify.EscalationService;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/** The reminders and the manager escalation of the missing-reason loop (fired by the {@link TimerPoller}). */
@ApplicationScoped
public class LoopService {

    private final TimerRepository timers;
    private final CrmCommands commands;
    private final FeedbackEvents events;
    private final FeedbackConfig config;
    private final MeterRegistry registry;
    private final EscalationService escalation;

    public LoopService(TimerRepository timers, CrmCommands commands, FeedbackEvents events, FeedbackConfig config,
            MeterRegistry registry, EscalationService escalation) {
        this.escalation = escalation;
        this.timers = timers;
        this.commands = commands;
        this.events = events;
        this.config = config;
        this.registry = registry;
    }

    /** Still missing: another task for the owner, and the next reminder while the budget lasts. */
    Uni<Void> remind(Disqualification d) {
        if (!d.isActive() || !d.reasonMissing() || d.remindersSent >= config.loop().maxReminders()) {
            return Uni.createFrom().voidItem();
        }
        d.remindersSent++;
        d.updatedAt = Instant.now();
        registry.counter("feedback.loop.reminders").increment();
        Instant now = Instant.now();
        Uni<?> task = d.crm == null || d.crmId == null ? Uni.createFrom().voidItem()
                : commands.createTask(d.crm, d.crmId, d.ownerCrmId, CaptureService.taskSubject(d, d.remindersSent),
                        CaptureService.taskBody(d), now.plus(config.loop().taskDueIn()));
        return task.chain(() -> d.remindersSent < config.loop().maxReminders()
                ? timers.persist(FeedbackTimer.of(FeedbackTimer.REASON_REMINDER, d.id,
                        now.plus(config.loop().reminderEvery()))).replaceWithVoid()
                : Uni.createFrom().voidItem());
    }

    /**
     * Missing for N days: the owner's manager is told: a notification (webhook) and, when the manager's CRM owner id
     * is known, a CRM task for them; {@code disqualification.reason-overdue} tells other services.
     */
    Uni<Void> escalate(Disqualification d) {
        if (!d.isActive() || !d.reasonMissing() || d.managerNotifiedAt != null) {
            return Uni.createFrom().voidItem();
        }
        Instant now = Instant.now();
        d.managerNotifiedAt = now;
        d.updatedAt = now;
        registry.counter("feedback.loop.escalations").increment();
        return escalation.escalate(d, now).chain(manager -> events.publish(FeedbackEvents.REASON_OVERDUE, d.leadId,
                new FeedbackEvents.ReasonOverdue(d.id, d.leadId, d.crm, d.crmId, d.ownerUsername, d.ownerCrmId,
                        d.teamName, d.disqualifiedAt, Math.max(0, Duration.between(d.disqualifiedAt, now).toSeconds()),
                        d.remindersSent, manager))).replaceWithVoid();
    }
}
