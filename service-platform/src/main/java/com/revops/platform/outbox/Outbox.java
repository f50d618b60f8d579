package com.revops.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.PlatformConfig;
import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;

import io.smallrye.mutiny.Uni;

/**
 * Writes events into the transactional outbox. Call it inside the transaction that changes the state the event
 * describes (a {@code @WithTransaction} service method): the event exists if and only if the change committed.
 * The {@link OutboxRelay} publishes it afterwards.
 */
@ApplicationScoped
public class Outbox {

    static final String NOTIFY_CHANNEL = "outbox_event";

    private final OutboxEventRepository repository;
    private final EventCodec codec;
    private final PlatformConfig config;

    public Outbox(OutboxEventRepository repository, EventCodec codec, PlatformConfig config) {
        this.repository = repository;
        this.codec = codec;
        this.config = config;
    }

    /**
     * Enqueues an event of {@code type} (also its routing key) about {@code subject} on {@code exchange}.
     *
     * @return the envelope as it will be published
     */
    public Uni<EventEnvelope> enqueue(String exchange, String type, int schemaVersion, String subject, Object data) {
        EventEnvelope envelope = EventEnvelope.create(type, schemaVersion, config.source(), subject,
                codec.toTree(data));
        return enqueue(exchange, envelope);
    }

    /** Enqueues a prepared envelope (its id is kept, which makes a retried enqueue of the same event idempotent). */
    public Uni<EventEnvelope> enqueue(String exchange, EventEnvelope envelope) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.fromString(envelope.id());
        row.exchange = exchange;
        row.routingKey = envelope.type();
        row.eventType = envelope.type();
        row.subject = envelope.subject();
        row.envelope = codec.encode(envelope);
        row.createdAt = Instant.now();
        row.nextAttemptAt = row.createdAt;
        row.attempts = 0;
        return repository.persist(row)
                // NOTIFY is delivered by PostgreSQL only when (and if) this transaction commits: the relay wakes
                // up for committed events only, and a rollback wakes nobody.
                .chain(ignored -> repository.getSession())
                .chain(session -> session.createNativeQuery("NOTIFY " + NOTIFY_CHANNEL).executeUpdate())
                .replaceWith(envelope);
    }
}
