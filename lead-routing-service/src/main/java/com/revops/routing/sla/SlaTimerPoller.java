package com.revops.routing.sla;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;
import com.revops.routing.RoutingConfig;
import com.revops.routing.assignment.LeadAssignment;
import com.revops.routing.assignment.RoutingService;
import com.revops.routing.leads.Lead;
import com.revops.routing.teams.SalesTeam;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Fires due SLA timers. Each timer is claimed with {@code FOR UPDATE SKIP LOCKED} and fired in the same transaction
 * as its effects, so with any number of replicas a timer fires exactly once, and a crash before the commit leaves it
 * pending for the next round (which is also what makes timers survive a restart: they are rows, not threads).
 */
@ApplicationScoped
public class SlaTimerPoller {

    /** Payload of {@code lead.sla-warning} v1. */
    public record LeadSlaWarning(UUID leadId, String ownerUsername, String slaPolicy, Instant dueAt,
            Instant warnedAt) {
    }

    /** Payload of {@code lead.sla-breached} v1. */
    public record LeadSlaBreached(UUID leadId, String ownerUsername, UUID teamId, String slaPolicy, Instant dueAt,
            Instant breachedAt, int reassignmentCount) {
    }

    private final RoutingService routing;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final RoutingConfig config;
    private final String instance = "routing-" + UUID.randomUUID().toString().substring(0, 8);
    private final DistributionSummary lateness;
    private final Counter fired;

    public SlaTimerPoller(RoutingService routing, Outbox outbox, ObjectMapper json, RoutingConfig config,
            MeterRegistry registry) {
        this.routing = routing;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
        this.lateness = DistributionSummary.builder("sla.timer.lateness").baseUnit("milliseconds")
                .description("fired_at - due_at").publishPercentiles(0.5, 0.99).register(registry);
        this.fired = registry.counter("sla.timer.fired");
    }

    @Scheduled(every = "${routing.timer-poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "sla-timers")
    Uni<Void> poll() {
        return fireDue(config.timerBatch()).replaceWithVoid();
    }

    /** Fires up to {@code max} due timers, one transaction each; returns how many fired. */
    public Uni<Integer> fireDue(int max) {
        return Multi.createBy().repeating().uni(() -> Panache.withTransaction(this::fireOne))
                .whilst(firedOne -> firedOne).select().first(max)
                .collect().with(java.util.stream.Collectors.counting()).map(Long::intValue)
                .onFailure().recoverWithItem(e -> {
                    Log.errorf(e, "SLA timer round failed; the timer stays pending");
                    return 0;
                });
    }

    /**
     * Claims one due timer together with its lead. Everything else that changes a lead (routing, a touch) locks the
     * lead first and its timers second; taking both at once, and skipping any that are busy, keeps the poller out
     * of that lock order, so the two can never deadlock: a lead being worked on is simply fired on the next round.
     */
    private Uni<Boolean> fireOne() {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                SELECT t.id FROM sla_timer t JOIN lead l ON l.id = t.lead_id
                WHERE t.state = 'PENDING' AND t.due_at <= now()
                ORDER BY t.due_at LIMIT 1 FOR UPDATE OF t, l SKIP LOCKED""", UUID.class).getSingleResultOrNull()
                .chain(id -> id == null ? Uni.createFrom().item(false)
                        : s.find(SlaTimer.class, id).chain(timer -> fire(s, timer)).replaceWith(true)));
    }

    private Uni<Void> fire(Mutiny.Session s, SlaTimer timer) {
        Instant now = Instant.now();
        timer.state = "FIRED";
        timer.firedAt = now;
        timer.firedBy = instance;
        lateness.record(Math.max(0, now.toEpochMilli() - timer.dueAt.toEpochMilli()));
        fired.increment();
        return RoutingService.lockLead(timer.leadId).chain(lead -> s.find(LeadAssignment.class, timer.assignmentId)
                .chain(a -> {
                    if (lead == null || a == null || a.endedAt != null || !"ASSIGNED".equals(lead.status)
                            || !a.username.equals(lead.ownerUsername)) {
                        return Uni.createFrom().voidItem(); // touched or moved on since: nothing to do
                    }
                    return "WARNING".equals(timer.kind) ? warn(s, lead, now) : breach(s, lead, a, timer, now);
                }));
    }

    private Uni<Void> warn(Mutiny.Session s, Lead lead, Instant now) {
        String text = "\u23f0 Lead " + label(lead) + " is waiting for your first touch: due at " + lead.slaDueAt
                + " (" + lead.slaPolicy + ")";
        return s.persist(SlaService.notification("sla-warning", lead.ownerUsername, lead.id, payload(text, lead)))
                .chain(() -> outbox.enqueue(Exchanges.ROUTING_EVENTS, "lead.sla-warning", 1, "lead/" + lead.id,
                        new LeadSlaWarning(lead.id, lead.ownerUsername, lead.slaPolicy, lead.slaDueAt, now)))
                .replaceWithVoid();
    }

    private Uni<Void> breach(Mutiny.Session s, Lead lead, LeadAssignment a, SlaTimer timer, Instant now) {
        SlaBreach b = new SlaBreach();
        b.id = UUID.randomUUID();
        b.leadId = lead.id;
        b.username = a.username;
        b.teamId = a.teamId;
        b.policy = lead.slaPolicy == null ? "unknown" : lead.slaPolicy;
        b.dueAt = timer.dueAt;
        b.breachedAt = now;
        lead.slaState = "BREACHED";
        var event = new LeadSlaBreached(lead.id, a.username, a.teamId, lead.slaPolicy, timer.dueAt, now,
                lead.reassignmentCount);
        Uni<SalesTeam> team = a.teamId == null ? Uni.createFrom().nullItem() : s.find(SalesTeam.class, a.teamId);
        return team.chain(t -> {
            String manager = t == null || t.managerUsername == null ? "sales-managers" : t.managerUsername;
            String text = "\u26a0\ufe0f SLA breached: lead " + label(lead) + " was not touched by " + a.username
                    + " before " + timer.dueAt + " (" + lead.slaPolicy + ")";
            return s.persist(SlaService.notification("sla-breach", manager, lead.id, payload(text, lead)));
        }).chain(() -> outbox.enqueue(Exchanges.ROUTING_EVENTS, "lead.sla-breached", 1, "lead/" + lead.id, event))
                .chain(() -> s.createSelectionQuery("from SlaPolicy where name = :n", SlaPolicy.class)
                        .setParameter("n", lead.slaPolicy).getSingleResultOrNull())
                .chain(policy -> {
                    int max = policy == null ? 0 : policy.maxReassignments;
                    String queue = policy == null ? "sla-escalations" : policy.fallbackQueue;
                    if (lead.reassignmentCount >= max) {
                        b.outcome = "queued";
                        return routing.park(lead, queue, RoutingService.TRIGGER_SLA, "SLA breached after "
                                + lead.reassignmentCount + " reassignments (maximum " + max + ")");
                    }
                    return routing.reroute(lead, RoutingService.TRIGGER_SLA, null, "SLA breached by " + a.username)
                            .invoke(d -> {
                                b.outcome = d.chosenUsername != null ? "reassigned" : "queued";
                                b.reassignedTo = d.chosenUsername;
                            });
                })
                .chain(() -> s.persist(b));
    }

    private String payload(String text, Lead lead) {
        try {
            Map<String, Object> p = new java.util.HashMap<>(SlaService.slack(text));
            p.put("leadId", lead.id.toString());
            return json.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String label(Lead l) {
        String name = ((l.firstName == null ? "" : l.firstName) + " " + (l.lastName == null ? "" : l.lastName))
                .trim();
        return (name.isEmpty() ? String.valueOf(l.email) : name) + (l.company == null ? "" : " (" + l.company + ")");
    }
}
