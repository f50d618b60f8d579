package com.revops.feedback.notify;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.revops.feedback.config.FeedbackConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers PENDING notifications through the configured {@link Notifier}, safe with several replicas.
 *
 * <p>A poll claims due rows in one statement ({@code FOR UPDATE SKIP LOCKED} in the sub-select) that also counts
 * the attempt and moves {@code next_attempt_at} one lease ahead, and commits: no transaction stays open during the
 * HTTP call, and no other replica claims the row while it is being delivered. The outcome is written afterwards
 * (SENT, or PENDING again after an exponential back-off, or FAILED once the attempts are spent). A replica that
 * dies mid-delivery leaves the row PENDING; it is claimed again when the lease runs out (at-least-once).
 */
@ApplicationScoped
public class NotificationDispatcher {

    private final Pool pool;
    private final FeedbackConfig config;
    private final Instance<Notifier> notifiers;
    private final MeterRegistry registry;

    public NotificationDispatcher(Pool pool, FeedbackConfig config, Instance<Notifier> notifiers,
            MeterRegistry registry) {
        this.pool = pool;
        this.config = config;
        this.notifiers = notifiers;
        this.registry = registry;
    }

    @Scheduled(every = "${feedback.notify.poll-interval:5s}", delayed = "3s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "feedback-notifications")
    Uni<Void> poll() {
        return deliverDue().onFailure().recoverWithItem(e -> {
            Log.warnf("notification poll failed: %s", e.getMessage());
            return 0;
        }).replaceWithVoid();
    }

    private record Claimed(UUID id, String teamName, String target, String channel, String payload, int attempts) {
    }

    /** Claims and delivers the due notifications (one batch); returns how many were claimed. */
    public Uni<Integer> deliverDue() {
        return pool.preparedQuery("""
                UPDATE notification SET attempts = attempts + 1,
                       next_attempt_at = now() + $1 * interval '1 millisecond'
                 WHERE id IN (SELECT id FROM notification
                               WHERE state = 'PENDING' AND next_attempt_at <= now()
                               ORDER BY next_attempt_at LIMIT $2
                               FOR UPDATE SKIP LOCKED)
                RETURNING id, team_name, target, channel, payload::text AS payload, attempts""")
                .execute(Tuple.of(config.notifications().lease().toMillis(), config.notifications().batchSize()))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row r : rows) {
                        claimed.add(new Claimed(r.getUUID("id"), r.getString("team_name"), r.getString("target"),
                                r.getString("channel"), r.getString("payload"), r.getInteger("attempts")));
                    }
                    return claimed;
                })
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0)
                        : Multi.createFrom().iterable(claimed).onItem().transformToUni(this::deliver).merge(4)
                                .collect().asList().map(List::size));
    }

    private Uni<Void> deliver(Claimed n) {
        return url(n).chain(url -> {
            if (url == null) {
                return finish(n.id(), Notification.SKIPPED, null,
                        "no webhook URL configured (FEEDBACK_NOTIFY_WEBHOOK_URL or the team's escalation contact)");
            }
            Notifier notifier = notifier(n.channel());
            Uni<Void> attempt = notifier == null
                    ? Uni.createFrom().failure(new Notifier.DeliveryException("no notifier for channel "
                            + n.channel(), null))
                    : Uni.createFrom().deferred(() -> notifier.deliver(url, n.payload()));
            return attempt.onItemOrFailure().transformToUni((ok, failure) -> {
                if (failure == null) {
                    registry.counter("feedback.notifications.sent").increment();
                    return finish(n.id(), Notification.SENT, null, null);
                }
                registry.counter("feedback.notifications.failed_attempts").increment();
                java.time.Duration retryAfter = failure instanceof Notifier.DeliveryException de
                        ? de.retryAfter() : null;
                NotificationPolicy.Retry retry = NotificationPolicy.afterFailure(n.attempts(),
                        config.notifications().maxAttempts(), config.notifications().backoff(), config.notifications().backoffCap(),
                        retryAfter, Instant.now());
                String error = String.valueOf(failure.getMessage());
                if (!retry.again()) {
                    Log.errorf("notification %s failed for good after %d attempts: %s", n.id(), n.attempts(), error);
                    return finish(n.id(), Notification.FAILED, null, error);
                }
                Log.warnf("notification %s attempt %d failed (%s); next at %s", n.id(), n.attempts(), error,
                        retry.at());
                return finish(n.id(), Notification.PENDING, retry.at(), error);
            });
        }).onFailure().recoverWithUni(e -> {
            // the outcome could not be written: the lease runs out and the row is claimed again
            Log.warnf("notification %s: %s", n.id(), e.getMessage());
            return Uni.createFrom().voidItem();
        });
    }

    /** The team contact's URL (read at delivery, so a changed override applies), else the service-wide one. */
    private Uni<String> url(Claimed n) {
        String fallback = config.notifications().webhookUrl().filter(s -> !s.isBlank()).orElse(null);
        if (n.teamName() == null) {
            return Uni.createFrom().item(fallback);
        }
        return pool.preparedQuery("SELECT webhook_url FROM escalation_contact WHERE team_name = $1")
                .execute(Tuple.of(n.teamName())).map(rows -> {
                    String team = rows.iterator().hasNext() ? rows.iterator().next().getString("webhook_url") : null;
                    return team != null && !team.isBlank() ? team : fallback;
                });
    }

    private Notifier notifier(String channel) {
        for (Notifier n : notifiers) {
            if (n.channel().equals(channel)) {
                return n;
            }
        }
        return null;
    }

    private Uni<Void> finish(UUID id, String state, Instant nextAt, String error) {
        String cut = error == null ? null : error.substring(0, Math.min(error.length(), 500));
        return pool.preparedQuery("""
                UPDATE notification SET state = $2, last_error = $3,
                       sent_at = CASE WHEN $2 = 'SENT' THEN now() ELSE sent_at END,
                       next_attempt_at = coalesce($4, next_attempt_at)
                 WHERE id = $1 AND state = 'PENDING'""")
                .execute(Tuple.of(id, state, cut, nextAt == null ? null : OffsetDateTime.ofInstant(nextAt,
                        ZoneOffset.UTC)))
                .replaceWithVoid();
    }
}
