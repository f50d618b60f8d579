package com.revops.platform.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.revops.platform.PlatformConfig;
import com.revops.platform.broker.BrokerConnection;
import com.revops.platform.broker.BrokerConnection.OutgoingMessage;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Publishes outbox rows to RabbitMQ and marks them sent.
 *
 * <p>Each round claims a batch with {@code FOR UPDATE SKIP LOCKED} inside one database transaction, publishes it
 * with publisher confirms and marks it published in the same transaction. Several replicas therefore never
 * publish the same row concurrently; a replica that dies mid-round releases its locks with its connection, and the
 * rows are published by the next round (possibly a second time if the broker had already confirmed them: delivery
 * is at least once, and consumers deduplicate on the event id).
 *
 * <p>Rounds run when PostgreSQL notifies a commit of new rows (LISTEN/NOTIFY, so latency stays in milliseconds)
 * and on a poll as a safety net after restarts, lost notifications and broker outages.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final String CLAIM = """
            SELECT id, exchange, routing_key, event_type, envelope::text AS body, attempts
              FROM outbox_event
             WHERE published_at IS NULL AND next_attempt_at <= now()
             ORDER BY created_at, id
             LIMIT $1
             FOR UPDATE SKIP LOCKED""";

    private static final String CLAIM_BY_ID = """
            SELECT id, exchange, routing_key, event_type, envelope::text AS body, attempts
              FROM outbox_event
             WHERE id = ANY($1) AND published_at IS NULL
             ORDER BY created_at, id
             FOR UPDATE SKIP LOCKED""";

    private final Pool pool;
    private final BrokerConnection broker;
    private final PlatformConfig config;
    private final Vertx vertx;
    private final String reactiveUrl;
    private final String dbUser;
    private final String dbPassword;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean rerun = new AtomicBoolean();
    private final Counter published;
    private final Counter failed;
    private final Timer lag;
    private volatile boolean enabled = true;
    private PgSubscriber subscriber;

    public OutboxRelay(Pool pool, BrokerConnection broker, PlatformConfig config, Vertx vertx, MeterRegistry registry,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String dbUser,
            @ConfigProperty(name = "quarkus.datasource.password") java.util.Optional<String> dbPassword) {
        this.pool = pool;
        this.broker = broker;
        this.config = config;
        this.vertx = vertx;
        this.reactiveUrl = reactiveUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword.orElse("");
        this.published = registry.counter("outbox.published");
        this.failed = registry.counter("outbox.publish.failures");
        this.lag = Timer.builder("outbox.lag").description("time from commit to broker confirm")
                .publishPercentiles(0.5, 0.99).register(registry);
    }

    void onStart(@Observes StartupEvent event) {
        if (!config.outbox().listenNotify()) {
            return;
        }
        String url = reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring("vertx-reactive:".length())
                : reactiveUrl;
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("postgres") ? url : "postgresql://" + url)
                .setUser(dbUser);
        if (dbPassword != null && !dbPassword.isEmpty()) {
            options.setPassword(dbPassword);
        }
        subscriber = PgSubscriber.subscriber(vertx, options);
        subscriber.reconnectPolicy(retries -> 1000L);
        subscriber.channel(Outbox.NOTIFY_CHANNEL).handler(payload -> wakeUp());
        subscriber.connect().subscribe().with(
                ok -> Log.debug("outbox relay listening for commits"),
                e -> Log.warnf("outbox LISTEN unavailable, relying on polling: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        enabled = false;
        if (subscriber != null) {
            subscriber.close().subscribe().with(x -> { }, x -> { });
        }
    }

    /** The safety-net poll. */
    @Scheduled(every = "${revops.outbox.poll-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "outbox-relay")
    void poll() {
        wakeUp();
    }

    /** Starts a drain unless one is running; a wake-up during a drain makes it go round once more. */
    public void wakeUp() {
        if (!enabled) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            rerun.set(true);
            return;
        }
        rerun.set(false);
        drain().subscribe().with(
                n -> finishDrain(),
                e -> {
                    Log.warnf("outbox relay round failed: %s", e.getMessage());
                    running.set(false);
                });
    }

    private void finishDrain() {
        running.set(false);
        if (rerun.getAndSet(false)) {
            wakeUp();
        }
    }

    /** Publishes rounds until a round finds less than a full batch; returns the number of rows published. */
    public Uni<Integer> drain() {
        return publishBatch().chain(n -> n >= config.outbox().batchSize() && enabled
                ? drain().map(m -> n + m)
                : Uni.createFrom().item(n));
    }

    /** One round: claim, publish with confirms, mark. Returns how many rows were published. */
    public Uni<Integer> publishBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM)
                .execute(Tuple.of(config.outbox().batchSize()))
                .chain(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getUUID("id"), row.getString("exchange"),
                                row.getString("routing_key"), row.getString("event_type"), row.getString("body"),
                                row.getInteger("attempts")));
                    }
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return publishAndMark(conn, claimed);
                }));
    }

    /**
     * Publishes the given rows now, if they are still unsent, in their own transaction (the caller's has committed):
     * the fast path of {@link Outbox#enqueueAllForImmediatePublish}. Rows another round has locked or already
     * published are skipped, so a row is never published twice by two rounds at once. A failure leaves the rows to
     * the relay.
     */
    public Uni<Integer> publishNow(List<UUID> ids) {
        if (ids.isEmpty() || !enabled) {
            return Uni.createFrom().item(0);
        }
        return pool.withTransaction(conn -> conn.preparedQuery(CLAIM_BY_ID)
                .execute(Tuple.of(ids.toArray(UUID[]::new)))
                .chain(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getUUID("id"), row.getString("exchange"),
                                row.getString("routing_key"), row.getString("event_type"), row.getString("body"),
                                row.getInteger("attempts")));
                    }
                    return claimed.isEmpty() ? Uni.createFrom().item(0) : publishAndMark(conn, claimed);
                }));
    }

    private Uni<Integer> publishAndMark(SqlConnection conn, List<Claimed> claimed) {
        List<OutgoingMessage> messages = claimed.stream()
                .map(c -> new OutgoingMessage(c.exchange, c.routingKey, c.id.toString(), c.type, c.body, Map.of()))
                .toList();
        UUID[] ids = claimed.stream().map(c -> c.id).toArray(UUID[]::new);
        return broker.publishConfirmed(messages, config.outbox().confirmTimeout())
                .chain(() -> conn.preparedQuery("""
                        UPDATE outbox_event SET published_at = now(), attempts = attempts + 1, last_error = NULL
                         WHERE id = ANY($1) RETURNING created_at""")
                        .execute(Tuple.of(ids)))
                .map(rows -> {
                    Instant now = Instant.now();
                    for (Row row : rows) {
                        lag.record(Duration.between(row.getOffsetDateTime("created_at").toInstant(), now));
                    }
                    published.increment(claimed.size());
                    return claimed.size();
                })
                .onFailure().recoverWithUni(e -> markFailed(conn, claimed, ids, e));
    }

    private Uni<Integer> markFailed(SqlConnection conn, List<Claimed> claimed, UUID[] ids, Throwable e) {
        failed.increment(claimed.size());
        int attempts = claimed.get(0).attempts + 1;
        long backoffMs = Math.min(config.outbox().maxBackoff().toMillis(),
                config.outbox().initialBackoff().toMillis() * (1L << Math.min(attempts - 1, 20)));
        String error = String.valueOf(e.getMessage());
        Log.warnf("outbox: %d events not confirmed by the broker (attempt %d), retry in %d ms: %s",
                claimed.size(), attempts, backoffMs, error);
        return conn.preparedQuery("""
                UPDATE outbox_event SET attempts = attempts + 1, last_error = $2,
                       next_attempt_at = now() + ($3 * interval '1 millisecond')
                 WHERE id = ANY($1)""")
                .execute(Tuple.of(ids, error.length() > 1000 ? error.substring(0, 1000) : error, backoffMs))
                .replaceWith(0);
    }

    /** Deletes published rows past their retention; unpublished rows are never deleted. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "outbox-cleanup")
    Uni<Void> cleanup() {
        long seconds = config.outbox().retention().toSeconds();
        return pool.preparedQuery("DELETE FROM outbox_event WHERE published_at < now() - ($1 * interval '1 second')")
                .execute(Tuple.of(seconds))
                .invoke(rows -> Log.infof("outbox cleanup removed %d published events", rows.rowCount()))
                .replaceWithVoid();
    }

    private record Claimed(UUID id, String exchange, String routingKey, String type, String body, int attempts) {
    }
}
