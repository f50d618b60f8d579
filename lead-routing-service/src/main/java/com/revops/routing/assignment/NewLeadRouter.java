package com.revops.routing.assignment;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.context.FreshContext;
import com.revops.platform.outbox.OutboxRelay;
import com.revops.routing.RoutingConfig;
import com.revops.routing.leads.Lead;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Routes the leads that intake stored as {@code NEW}, in batches: each round claims up to
 * {@code routing.new-lead-batch} of them ({@code FOR UPDATE SKIP LOCKED}, oldest first) and routes them in one
 * transaction, so the routing model is read once per round instead of once per lead and the team locks are held once
 * per round. Rounds follow each other until the backlog is gone.
 *
 * <p>Intake wakes this instance up as soon as a new lead is committed; a poll every
 * {@code routing.new-lead-poll-interval} is the safety net (a lead stored by a replica that stopped before routing
 * it, a round that failed). A NEW lead is durable work: a crash in the middle of a round rolls the round back and the
 * next round takes the same leads. Several replicas never route the same lead (the claim skips locked rows), and
 * they serialise on the team locks exactly as single decisions do.
 */
@ApplicationScoped
public class NewLeadRouter {

    private final RoutingService routing;
    private final OutboxRelay relay;
    private final RoutingConfig config;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final DistributionSummary batchSize;
    private final io.micrometer.core.instrument.Timer roundTimer;
    private final io.micrometer.core.instrument.Timer waitTimer;

    public NewLeadRouter(RoutingService routing, OutboxRelay relay, RoutingConfig config, Vertx vertx,
            MeterRegistry registry) {
        this.routing = routing;
        this.relay = relay;
        this.config = config;
        this.vertx = vertx;
        this.batchSize = DistributionSummary.builder("routing.batch.size")
                .description("new leads routed per transaction").publishPercentiles(0.5, 0.99).register(registry);
        this.roundTimer = io.micrometer.core.instrument.Timer.builder("routing.round")
                .description("one routing round: claim, decide, write, commit").publishPercentiles(0.5, 0.9, 0.99)
                .register(registry);
        this.waitTimer = io.micrometer.core.instrument.Timer.builder("routing.new_lead.wait")
                .description("from a new lead's intake to the end of the round that routed it")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
    }

    /** Asks for a round soon. Rounds of one instance never overlap; a wake-up during a round causes another. */
    public void wakeUp() {
        again.set(true);
        if (running.compareAndSet(false, true)) {
            again.set(false);
            FreshContext.run(vertx, this::drain).subscribe().with(n -> finished(), e -> {
                Log.errorf(e, "routing round failed; the leads stay NEW for the next round");
                finished();
            });
        }
    }

    private void finished() {
        running.set(false);
        if (again.get()) {
            wakeUp();
        }
    }

    @Scheduled(every = "${routing.new-lead-poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "new-lead-router")
    void poll() {
        wakeUp();
    }

    /** Rounds until one finds less than a full batch; returns how many leads were routed. */
    Uni<Integer> drain() {
        return round().chain(n -> n >= config.newLeadBatch() ? drain().map(m -> n + m) : Uni.createFrom().item(n));
    }

    /** One round in one transaction; when the batch fails as a whole, each of its leads is tried on its own. */
    Uni<Integer> round() {
        return batch().onFailure().recoverWithUni(e -> {
            Log.warnf(e, "routing a batch failed; routing its leads one by one");
            return oneByOne();
        });
    }

    /** Claims up to a batch of NEW leads and routes them together in one transaction; returns how many it claimed. */
    Uni<Integer> batch() {
        long started = System.nanoTime();
        return Panache.withTransaction(() -> claim().chain(leads -> routing.routeNewBatch(leads)
                .invoke(routed -> {
                    if (!leads.isEmpty()) {
                        batchSize.record(leads.size());
                        java.time.Instant now = java.time.Instant.now();
                        for (Lead lead : leads) {
                            waitTimer.record(java.time.Duration.between(lead.receivedAt, now));
                        }
                    }
                }).map(routed -> new Round(leads.size(), routed.outboxIds()))))
                .invoke(round -> {
                    roundTimer.record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
                    publishNow(round.outboxIds());
                })
                .map(Round::claimed);
    }

    private record Round(int claimed, List<UUID> outboxIds) {
    }

    /**
     * Publishes a committed round's commands and events at once, without waiting for it: the next round need not
     * wait for the broker's confirms. If this fails the relay publishes them after {@code routing.relay-grace}.
     */
    private void publishNow(List<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        FreshContext.run(vertx, () -> relay.publishNow(ids)).subscribe().with(n -> { },
                e -> Log.warnf("publishing a routing round failed, the outbox relay will retry: %s", e.getMessage()));
    }

    private Uni<List<Lead>> claim() {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                SELECT * FROM lead WHERE status = 'NEW' ORDER BY received_at, id LIMIT :n
                FOR UPDATE SKIP LOCKED""", Lead.class).setParameter("n", config.newLeadBatch()).getResultList());
    }

    private Uni<Integer> oneByOne() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                SELECT id FROM lead WHERE status = 'NEW' ORDER BY received_at, id LIMIT :n""", UUID.class)
                .setParameter("n", config.newLeadBatch()).getResultList()))
                .chain(ids -> {
                    Uni<Integer> chain = Uni.createFrom().item(0);
                    for (UUID id : ids) {
                        chain = chain.chain(n -> routeAlone(id).map(ok -> n + 1));
                    }
                    return chain;
                });
    }

    /** One lead in its own transaction; a lead that cannot be routed at all waits in the unrouted queue. */
    private Uni<Boolean> routeAlone(UUID id) {
        return Panache.withTransaction(() -> RoutingService.lockLead(id).chain(lead -> lead == null
                ? Uni.createFrom().nullItem() : routing.routeNew(lead)))
                .replaceWith(true)
                .onFailure().recoverWithUni(e -> {
                    Log.errorf(e, "lead %s cannot be routed; it waits in queue %s", id, config.unroutedQueue());
                    return Panache.withTransaction(() -> RoutingService.lockLead(id).chain(lead -> lead == null
                            || !"NEW".equals(lead.status) ? Uni.createFrom().nullItem()
                            : routing.park(lead, config.unroutedQueue(), RoutingService.TRIGGER_CREATED,
                                    "routing failed: " + e.getMessage()))).replaceWith(false)
                            .onFailure().recoverWithItem(false);
                });
    }
}
