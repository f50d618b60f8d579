package com.revops.routing.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;
import com.revops.routing.assignment.LeadAssignment;
import com.revops.routing.leads.Lead;
import com.revops.routing.teams.HoursCodec;
import com.revops.routing.teams.SalesRep;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * The time-to-first-touch clock: picks the policy for a lead, writes its durable warning and deadline timers, and
 * records the first touch (which stops the clock).
 */
@ApplicationScoped
public class SlaService {

    /** The clock started for an assignment. */
    public record Clock(String policy, Instant warnAt, Instant dueAt) {
    }

    /** Payload of {@code lead.first-touched} v1. */
    public record LeadFirstTouched(UUID leadId, String ownerUsername, UUID teamId, String channel, String source,
            String intentTier, String via, String activityType, Instant assignedAt, Instant touchedAt,
            long ttftSeconds, long repDelaySeconds, Instant slaDueAt, Boolean slaMet) {
    }

    private final Outbox outbox;
    private final MeterRegistry registry;

    public SlaService(Outbox outbox, MeterRegistry registry) {
        this.outbox = outbox;
        this.registry = registry;
    }

    /** The active policies in the order they are tried (priority, then name). */
    public Uni<List<SlaPolicy>> activePolicies(Mutiny.Session s) {
        return s.createSelectionQuery("from SlaPolicy where active = true order by priority, name", SlaPolicy.class)
                .getResultList();
    }

    public Uni<Clock> startClock(Mutiny.Session s, Lead lead, LeadAssignment a, SalesRep rep, Instant start) {
        return activePolicies(s).chain(policies -> startClock(s, lead, a, rep, start, policies, null));
    }

    /**
     * Starts the clock with policies already read in this transaction (a batch reads them once). The two timers
     * go to {@code collect} when given (a batch writes them together), else they are persisted in the session.
     */
    public Uni<Clock> startClock(Mutiny.Session s, Lead lead, LeadAssignment a, SalesRep rep, Instant start,
            List<SlaPolicy> policies, java.util.function.Consumer<SlaTimer> collect) {
        SlaPolicy p = policies.stream().filter(x -> x.matches(lead.intentTier, lead.channel)).findFirst()
                .orElse(null);
        if (p == null) {
            lead.slaPolicy = null;
            lead.slaDueAt = null;
            lead.slaState = null;
            return Uni.createFrom().nullItem();
        }
        boolean business = "BUSINESS".equals(p.clock);
        SlaClock.Deadlines d = SlaClock.of(start, p.targetSeconds, p.warningRatio.doubleValue(), business,
                rep == null ? null : HoursCodec.fromStored(rep.timeZone, rep.workingHours));
        lead.slaPolicy = p.name;
        lead.slaDueAt = d.dueAt();
        lead.slaState = "RUNNING";
        Clock clock = new Clock(p.name, d.warnAt(), d.dueAt());
        SlaTimer warning = timer(lead.id, a.id, "WARNING", d.warnAt());
        SlaTimer deadline = timer(lead.id, a.id, "DEADLINE", d.dueAt());
        if (collect != null) {
            collect.accept(warning);
            collect.accept(deadline);
            return Uni.createFrom().item(clock);
        }
        return s.persist(warning).chain(() -> s.persist(deadline)).replaceWith(clock);
    }

    public Uni<Void> cancelTimers(Mutiny.Session s, UUID leadId) {
        return s.createMutationQuery("update SlaTimer set state = 'CANCELLED' where leadId = :l and state = 'PENDING'")
                .setParameter("l", leadId).executeUpdate().replaceWithVoid();
    }

    /**
     * Records the first touch of the current owner and stops the clock. Returns false when it does not count: the
     * lead is not assigned (already touched, queued) or the toucher is not the current owner.
     */
    public Uni<Boolean> firstTouch(Mutiny.Session s, Lead lead, String username, Instant at, String via,
            String activityType) {
        if (!"ASSIGNED".equals(lead.status) || !username.equals(lead.ownerUsername)) {
            return Uni.createFrom().item(false);
        }
        Instant touchedAt = at.isBefore(lead.assignedAt) ? lead.assignedAt : at;
        lead.status = "TOUCHED";
        lead.firstTouchedAt = touchedAt;
        lead.firstTouchVia = via;
        lead.firstTouchActivity = activityType;
        lead.updatedAt = Instant.now();
        Boolean met = lead.slaDueAt == null ? null : !touchedAt.isAfter(lead.slaDueAt);
        if (met != null) {
            lead.slaState = met ? "MET" : "BREACHED";
        }
        Instant created = lead.crmCreatedAt != null ? lead.crmCreatedAt : lead.receivedAt;
        long ttft = Math.max(0, Duration.between(created, touchedAt).toSeconds());
        long repDelay = Math.max(0, Duration.between(lead.assignedAt, touchedAt).toSeconds());
        registry.timer("routing.ttft", "channel", String.valueOf(lead.channel)).record(Duration.ofSeconds(ttft));
        var event = new LeadFirstTouched(lead.id, username, lead.teamId, lead.channel, lead.source, lead.intentTier,
                via, activityType, lead.assignedAt, touchedAt, ttft, repDelay, lead.slaDueAt, met);
        return cancelTimers(s, lead.id)
                .chain(() -> outbox.enqueue(Exchanges.ROUTING_EVENTS, "lead.first-touched", 1, "lead/" + lead.id,
                        event))
                .replaceWith(true);
    }

    static SlaTimer timer(UUID leadId, UUID assignmentId, String kind, Instant due) {
        SlaTimer t = new SlaTimer();
        t.id = UUID.randomUUID();
        t.leadId = leadId;
        t.assignmentId = assignmentId;
        t.kind = kind;
        t.dueAt = due;
        t.state = "PENDING";
        return t;
    }

    /** A notification row, delivered by the {@link NotificationDispatcher}. */
    public static Notification notification(String kind, String recipient, UUID leadId, String payloadJson) {
        Notification n = new Notification();
        n.id = UUID.randomUUID();
        n.kind = kind;
        n.recipient = recipient;
        n.leadId = leadId;
        n.payload = payloadJson;
        n.state = "PENDING";
        n.createdAt = Instant.now();
        n.nextAttemptAt = n.createdAt;
        return n;
    }

    static Map<String, Object> slack(String text) {
        return Map.of("text", text, "blocks", List.of(Map.of("type", "section", "text",
                Map.of("type", "mrkdwn", "text", text))));
    }
}
