package com.revops.platform.outbox;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** One event waiting in (or already sent from) the transactional outbox. Written only through {@link Outbox}. */
@Entity
@Table(name = "outbox_event")
public class OutboxEvent {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String exchange;

    @Column(name = "routing_key", nullable = false)
    public String routingKey;

    @Column(name = "event_type", nullable = false)
    public String eventType;

    public String subject;

    /** The complete CloudEvents envelope, exactly as it will be published. */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(write = "?::text::jsonb")
    public String envelope;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "published_at")
    public Instant publishedAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;
}
