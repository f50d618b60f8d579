package com.revops.routing.sla;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.routing.RoutingConfig;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;

/**
 * Delivers notifications: POSTs each one's Slack-compatible JSON ({@code text} and {@code blocks}) to the configured
 * incoming webhook, with exponential back-off (5 s, 10 s, 20 s, ... capped at 10 min) until
 * {@code routing.notify-max-attempts}, then marks it FAILED. Without a webhook URL, notifications are logged and
 * marked sent. Rows are claimed with SKIP LOCKED, so replicas share the work without double sends.
 */
@ApplicationScoped
public class NotificationDispatcher {

    private final RoutingConfig config;
    private final HttpClient http;

    public NotificationDispatcher(RoutingConfig config, Vertx vertx) {
        this.config = config;
        this.http = vertx.createHttpClient();
    }

    @Scheduled(every = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "notifications")
    Uni<Void> deliver() {
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                SELECT id FROM notification WHERE state = 'PENDING' AND next_attempt_at <= now()
                ORDER BY next_attempt_at LIMIT 50 FOR UPDATE SKIP LOCKED""", java.util.UUID.class).getResultList()
                .chain(ids -> ids.isEmpty() ? Uni.createFrom().item(List.<Notification>of())
                        : s.createSelectionQuery("from Notification where id in :ids", Notification.class)
                                .setParameter("ids", ids).getResultList())
                .chain(list -> list.isEmpty() ? Uni.createFrom().voidItem()
                        : Uni.join().all(list.stream().map(this::send).toList()).andCollectFailures()
                        .replaceWithVoid())
                .replaceWithVoid()))
                .onFailure().recoverWithItem(e -> {
                    Log.warnf("notification round failed: %s", e.getMessage());
                    return null;
                });
    }

    private Uni<Void> send(Notification n) {
        n.attempts++;
        if (config.notifyWebhookUrl().isEmpty()) {
            Log.infof("notification %s to %s: %s", n.kind, n.recipient, n.payload);
            n.state = "SENT";
            n.sentAt = Instant.now();
            return Uni.createFrom().voidItem();
        }
        URI url = URI.create(config.notifyWebhookUrl().get());
        RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url.toString())
                .putHeader("Content-Type", "application/json").setTimeout(5000);
        return http.request(options).chain(req -> req.send(Buffer.buffer(n.payload)))
                .chain(resp -> resp.body().map(body -> resp.statusCode()))
                .onItemOrFailure().transform((status, failure) -> {
                    if (failure == null && status >= 200 && status < 300) {
                        n.state = "SENT";
                        n.sentAt = Instant.now();
                        return null;
                    }
                    n.lastError = failure != null ? failure.getMessage() : "HTTP " + status;
                    if (n.attempts >= config.notifyMaxAttempts()) {
                        n.state = "FAILED";
                        Log.errorf("notification %s to %s failed for good: %s", n.id, n.recipient, n.lastError);
                    } else {
                        long backoff = Math.min(600, 5L << Math.min(n.attempts - 1, 10));
                        n.nextAttemptAt = Instant.now().plus(Duration.ofSeconds(backoff));
                    }
                    return null;
                });
    }
}
