package com.revops.feedback.loop;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.disqualification.Disqualification;
import com.revops.feedback.disqualification.DisqualificationRepository;
import com.revops.feedback.recycling.RecyclingService;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;

/**
 * Fires the durable timers (reason reminders, manager escalations, recycle dates) when they fall due.
 *
 * <p>Timers live in PostgreSQL, so they survive restarts: a timer that fell due while no replica was running fires
 * at the first poll after start. Each timer is claimed with {@code FOR UPDATE SKIP LOCKED} and fired in its own
 * transaction together with its effects (commands and events go through the outbox in that same transaction), so
 * several replicas never fire the same timer and a crash mid-way leaves the timer due. A failing timer backs off
 * and is retried up to {@code feedback.timers.max-attempts} times; its last error stays on the row.
 */
@ApplicationScoped
public class TimerPoller {

    private final TimerRepository timers;
    private final DisqualificationRepository disqualifications;
    private final LoopService loop;
    private final RecyclingService recycling;
    private final FeedbackConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;

    public TimerPoller(TimerRepository timers, DisqualificationRepository disqualifications, LoopService loop,
            RecyclingService recycling, FeedbackConfig config, Vertx vertx, MeterRegistry registry) {
        this.timers = timers;
        this.disqualifications = disqualifications;
        this.loop = loop;
        this.recycling = recycling;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
    }

    @Scheduled(every = "${feedback.timers.poll-interval:5s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "feedback-timers")
    Uni<Void> poll() {
        return fireDue().onFailure().recoverWithItem(e -> {
            Log.warnf("timer poll failed: %s", e.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    /** Fires every due timer (up to the batch size); returns how many were fired. */
    public Uni<Integer> fireDue() {
        return drain(0);
    }

    private Uni<Integer> drain(int fired) {
        if (fired >= config.timers().batchSize()) {
            return Uni.createFrom().item(fired);
        }
        return onFreshContext(this::fireOne).chain(one -> one ? drain(fired + 1) : Uni.createFrom().item(fired));
    }

    /** Claims and fires one due timer in one transaction; false when none is due. */
    private Uni<Boolean> fireOne() {
        AtomicReference<FeedbackTimer> claimed = new AtomicReference<>();
        return Panache.withTransaction(() -> timers.claimDue(config.timers().maxAttempts()).chain(timer -> {
            if (timer == null) {
                return Uni.createFrom().item(false);
            }
            claimed.set(timer);
            return disqualifications.findForUpdate(timer.disqualificationId)
                    .chain(d -> dispatch(timer, d))
                    .invoke(() -> {
                        timer.firedAt = Instant.now();
                        registry.counter("feedback.timers.fired", "kind", timer.kind).increment();
                    })
                    .replaceWith(true);
        })).onFailure().recoverWithUni(e -> {
            FeedbackTimer t = claimed.get();
            if (t == null) {
                return Uni.createFrom().failure(e);
            }
            Log.warnf("timer %s (%s) failed: %s", t.id, t.kind, e.getMessage());
            registry.counter("feedback.timers.failed", "kind", t.kind).increment();
            return Panache.withTransaction(() -> timers.recordFailure(t.id, e.getMessage(), Duration.ofSeconds(30)))
                    .replaceWith(true);
        });
    }

    private Uni<Void> dispatch(FeedbackTimer timer, Disqualification d) {
        if (d == null) {
            return Uni.createFrom().voidItem();
        }
        return switch (timer.kind) {
            case FeedbackTimer.REASON_REMINDER -> loop.remind(d);
            case FeedbackTimer.MANAGER_ESCALATION -> loop.escalate(d);
            case FeedbackTimer.RECYCLE -> recycling.recycle(d);
            default -> Uni.createFrom().voidItem();
        };
    }

    /** Each timer gets its own duplicated Vert.x context, hence its own Hibernate Reactive session. */
    private <T> Uni<T> onFreshContext(Supplier<Uni<T>> work) {
        Context current = io.vertx.core.Vertx.currentContext();
        Context root = current != null ? current : vertx.getDelegate().getOrCreateContext();
        Context duplicated = VertxContext.createNewDuplicatedContext(root);
        VertxContextSafetyToggle.setContextSafe(duplicated, true);
        return Uni.createFrom().emitter(emitter -> duplicated.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(emitter::complete, emitter::fail);
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
    }
}
