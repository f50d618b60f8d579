package com.revops.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.PlatformConfig;
import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

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
        OutboxEvent row = row(exchange, envelope, Instant.now());
        return repository.persist(row)
                // NOTIFY is delivered by PostgreSQL only when (and if) this transaction commits: the relay wakes
                // up for committed events only, and a rollback wakes nobody.
                .chain(ignored -> repository.getSession())
                .chain(session -> session.createNativeQuery("NOTIFY " + NOTIFY_CHANNEL).executeUpdate())
                .replaceWith(envelope);
    }

    /** An event waiting to be enqueued with {@link #enqueueAll}. */
    public record Pending(String exchange, String type, int schemaVersion, String subject, Object data) {
    }

    /**
     * Enqueues several events with one wake-up of the relay instead of one per event: the rows go to the session
     * (and so into the batched inserts of its flush) and a single NOTIFY follows. For transactions that publish many
     * events, such as routing a batch of leads.
     */
    public Uni<Void> enqueueAll(java.util.List<Pending> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<OutboxEvent> rows = new java.util.ArrayList<>(events.size());
        Instant now = Instant.now();
        for (Pending p : events) {
            rows.add(row(p.exchange(), EventEnvelope.create(p.type(), p.schemaVersion(), config.source(),
                    p.subject(), codec.toTree(p.data())), now));
        }
        return repository.persist(rows)
                .chain(ignored -> repository.getSession())
                .chain(session -> session.createNativeQuery("NOTIFY " + NOTIFY_CHANNEL).executeUpdate())
                .replaceWithVoid();
    }

    /**
     * Enqueues several events that the caller publishes itself right after its transaction commits, with
     * {@link OutboxRelay#publishNow}: one hop less between the commit and the broker than a relay woken by NOTIFY,
     * which matters where the delay is the product (a routed lead's owner write). The rows are an ordinary outbox
     * in every other respect: the relay leaves them alone for {@code relayGrace} and publishes those still unsent
     * after it (the caller crashed, or the broker was down), so nothing is lost. Returns the row ids to pass to
     * {@link OutboxRelay#publishNow}.
     */
    public Uni<java.util.List<UUID>> enqueueAllForImmediatePublish(java.util.List<Pending> events,
            java.time.Duration relayGrace) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(java.util.List.of());
        }
        java.util.List<OutboxEvent> rows = new java.util.ArrayList<>(events.size());
        Instant now = Instant.now();
        for (Pending p : events) {
            OutboxEvent row = row(p.exchange(), EventEnvelope.create(p.type(), p.schemaVersion(), config.source(),
                    p.subject(), codec.toTree(p.data())), now);
            row.nextAttemptAt = now.plus(relayGrace);
            rows.add(row);
        }
        return repository.persist(rows).replaceWith(() -> rows.stream().map(r -> r.id).toList());
    }

    private OutboxEvent row(String exchange, EventEnvelope envelope, Instant now) {
        OutboxEvent row = new OutboxEvent();
        row.id = UUID.fromString(envelope.id());
        row.exchange = exchange;
        row.routingKey = envelope.type();
        row.eventType = envelope.type();
        row.subject = envelope.subject();
        row.envelope = codec.encode(envelope);
        row.createdAt = now;
        row.nextAttemptAt = now;
        row.attempts = 0;
        return row;
    }

    /**
     * Enqueues events inside a transaction held on a plain reactive SQL connection (for code that works in SQL
     * rather than through Hibernate); same guarantees: the events exist if and only if that transaction commits.
     */
    public Uni<Void> enqueueOn(SqlConnection conn, String exchange, java.util.List<EventEnvelope> envelopes) {
        if (envelopes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        java.util.List<Tuple> rows = new java.util.ArrayList<>();
        for (EventEnvelope e : envelopes) {
            rows.add(Tuple.of(UUID.fromString(e.id()), exchange, e.type(), e.subject(), codec.encode(e)));
        }
        return conn.preparedQuery("""
                INSERT INTO outbox_event (id, exchange, routing_key, event_type, subject, envelope)
                VALUES ($1, $2, $3, $3, $4, $5::text::jsonb)""")
                .executeBatch(rows)
                .chain(() -> conn.query("NOTIFY " + NOTIFY_CHANNEL).execute())
                .replaceWithVoid();
    }

    /** A new envelope from this service, for {@link #enqueueOn}. */
    public EventEnvelope envelope(String type, int schemaVersion, String subject, Object data) {
        return EventEnvelope.create(type, schemaVersion, config.source(), subject, codec.toTree(data));
    }
}
