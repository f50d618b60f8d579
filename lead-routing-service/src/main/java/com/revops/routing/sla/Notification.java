package com.revops.routing.sla;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** A message to a person, written in the transaction of the fact it reports and delivered with retries. */
@Entity
@Table(name = "notification")
public class Notification {

    @Id
    public UUID id;

    /** assignment, sla-warning, sla-breach. */
    @Column(nullable = false)
    public String kind;

    @Column(nullable = false)
    public String recipient;

    @Column(name = "lead_id")
    public UUID leadId;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "payload::text", write = "?::text::jsonb")
    public String payload;

    /** PENDING, SENT, FAILED. */
    @Column(nullable = false)
    public String state;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "next_attempt_at", nullable = false)
    public Instant nextAttemptAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "sent_at")
    public Instant sentAt;
}
