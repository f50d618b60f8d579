package com.revops.platform.inbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.hibernate.reactive.mutiny.Mutiny;

import com.revops.platform.PlatformConfig;
import com.revops.platform.context.FreshContext;
import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * Runs a consumer's effect at most once per message id.
 *
 * <p>The processed-message record and the effect commit in one database transaction: a redelivered message finds
 * its id already recorded and has no second effect; a failed effect rolls back the record too, so the message can
 * be retried. A message that cannot be parsed is rejected at once, and one whose effect keeps failing is rejected
 * after {@code platform.inbox.max-attempts}: the queue's dead-letter exchange moves it to the service's DLQ, where
 * it can be inspected and replayed, and the consumer goes on with the next message.
 */
@ApplicationScoped
public class IdempotentConsumer {

    private final EventCodec codec;
    private final PlatformConfig config;
    private final Vertx vertx;
    private final MeterRegistry registry;
    private final Mutiny.SessionFactory sessionFactory;

    public IdempotentConsumer(EventCodec codec, PlatformConfig config, Vertx vertx, MeterRegistry registry,
            Mutiny.SessionFactory sessionFactory) {
        this.codec = codec;
        this.config = config;
        this.vertx = vertx;
        this.registry = registry;
        this.sessionFactory = sessionFactory;
    }

    /**
     * Processes {@code message} for {@code consumer} (a stable name, e.g. {@code lead-intake}) and acks or nacks it.
     * Use it as the whole body of an {@code @Incoming} method that takes a {@code Message<?>}.
     */
    public Uni<Void> consume(String consumer, Message<?> message, Function<EventEnvelope, Uni<Void>> effect) {
        EventEnvelope envelope;
        try {
            envelope = codec.decode(rawBody(message.getPayload()));
        } catch (MalformedEventException e) {
            Log.warnf("%s: malformed message dead-lettered: %s", consumer, e.getMessage());
            registry.counter("inbox.dead_lettered", "consumer", consumer, "reason", "malformed").increment();
            return Uni.createFrom().completionStage(message.nack(e));
        }
        Duration backoff = config.inbox().initialBackoff();
        return FreshContext.run(vertx.getDelegate(), () -> Panache.withTransaction(() -> claim(consumer, envelope)
                .chain(first -> {
                    if (!first) {
                        registry.counter("inbox.duplicates", "consumer", consumer).increment();
                        Log.debugf("%s: duplicate %s %s ignored", consumer, envelope.type(), envelope.id());
                        return Uni.createFrom().voidItem();
                    }
                    return effect.apply(envelope);
                })))
                .onFailure(e -> !(e instanceof MalformedEventException))
                .retry().withBackOff(backoff, backoff.multipliedBy(10)).atMost(config.inbox().maxAttempts() - 1)
                .onItemOrFailure().transformToUni((ok, failure) -> {
                    if (failure == null) {
                        registry.counter("inbox.processed", "consumer", consumer).increment();
                        return Uni.createFrom().completionStage(message.ack());
                    }
                    Log.errorf("%s: %s %s dead-lettered after failing: %s", consumer, envelope.type(), envelope.id(),
                            failure.getMessage());
                    registry.counter("inbox.dead_lettered", "consumer", consumer, "reason", "failed").increment();
                    return Uni.createFrom().completionStage(message.nack(failure));
                });
    }

    /**
     * Like {@link #consume}, but returns as soon as the message is handed over, so the channel delivers the next one
     * at once: messages with the same {@code key} are applied one after the other in arrival order, messages with
     * different keys concurrently. Each holds its unacknowledged delivery until its transaction is done, so the
     * channel's {@code max-outstanding-messages} bounds how many run at once. {@code afterEach} runs after each
     * message's transaction has committed and the message is acked. A message that cannot be decoded is keyed by
     * itself (and rejected by {@link #consume}).
     */
    public Uni<Void> consumeOrderedByKey(String consumer, Message<?> message, KeyedSequencer sequencer,
            Function<EventEnvelope, String> key, Function<EventEnvelope, Uni<Void>> effect, Runnable afterEach) {
        String k;
        try {
            k = key.apply(codec.decode(rawBody(message.getPayload())));
        } catch (RuntimeException e) {
            k = null;
        }
        sequencer.submit(k == null ? "message/" + System.identityHashCode(message) : k,
                () -> consume(consumer, message, effect).invoke(afterEach));
        return Uni.createFrom().voidItem();
    }

    /** Records the message id; true when this is its first processing. */
    private Uni<Boolean> claim(String consumer, EventEnvelope envelope) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                INSERT INTO processed_message (consumer, message_id, event_type, processed_at)
                VALUES (:consumer, :id, :type, now()) ON CONFLICT DO NOTHING""")
                .setParameter("consumer", consumer)
                .setParameter("id", envelope.id())
                .setParameter("type", envelope.type())
                .executeUpdate())
                .map(count -> count == 1);
    }

    static byte[] rawBody(Object payload) {
        if (payload == null) {
            return new byte[0];
        }
        if (payload instanceof byte[] bytes) {
            return bytes;
        }
        if (payload instanceof Buffer buffer) {
            return buffer.getBytes();
        }
        if (payload instanceof io.vertx.mutiny.core.buffer.Buffer buffer) {
            return buffer.getBytes();
        }
        if (payload instanceof JsonObject json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        if (payload instanceof JsonArray json) {
            return json.encode().getBytes(StandardCharsets.UTF_8);
        }
        return payload.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Forgets processed ids past their retention, which bounds the inbox table. */
    @Scheduled(every = "1h", delayed = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "inbox-cleanup")
    Uni<Void> cleanup() {
        long seconds = config.inbox().retention().toSeconds();
        return sessionFactory.withStatelessTransaction(session -> session.createNativeQuery(
                "DELETE FROM processed_message WHERE processed_at < now() - (:seconds * interval '1 second')")
                .setParameter("seconds", seconds)
                .executeUpdate())
                .replaceWithVoid();
    }
}
