package com.revops.feedback.notify;

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

    public static final String REASON_OVERDUE = "reason-overdue";
    public static final String PENDING = "PENDING";
    public static final String SENT = "SENT";
    public static final String FAILED = "FAILED";
    public static final String SKIPPED = "SKIPPED";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(name = "disqualification_id")
    public UUID disqualificationId;

    @Column(name = "lead_id")
    public UUID leadId;

    @Column(name = "team_name")
    public String teamName;

    /** The manager's name, when an escalation contact (or the default) names one. */
    public String recipient;

    /** The notifier that delivers it (webhook by default). */
    @Column(nullable = false)
    public String channel;

    /** Which URL: the team contact's override ({@code team}), the service-wide one ({@code default}) or none. */
    @Column(nullable = false)
    public String target;

    /** What is posted (Slack-compatible JSON: text and blocks). */
    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "payload::text", write = "?::text::jsonb")
    public String payload;

    /** PENDING, SENT, FAILED (attempts exhausted), SKIPPED (nowhere to send it). */
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
