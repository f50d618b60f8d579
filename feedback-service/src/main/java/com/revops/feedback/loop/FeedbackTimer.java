package com.revops.feedback.loop;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A durable timer: a reason reminder, the manager escalation or a recycle date. */
@Entity
@Table(name = "feedback_timer")
public class FeedbackTimer {

    public static final String REASON_REMINDER = "REASON_REMINDER";
    public static final String MANAGER_ESCALATION = "MANAGER_ESCALATION";
    public static final String RECYCLE = "RECYCLE";

    @Id
    public UUID id;

    @Column(nullable = false)
    public String kind;

    @Column(name = "disqualification_id", nullable = false)
    public UUID disqualificationId;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(nullable = false)
    public int attempts;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "cancelled_at")
    public Instant cancelledAt;

    @Column(name = "last_error")
    public String lastError;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    public static FeedbackTimer of(String kind, UUID disqualificationId, Instant dueAt) {
        FeedbackTimer t = new FeedbackTimer();
        t.id = UUID.randomUUID();
        t.kind = kind;
        t.disqualificationId = disqualificationId;
        t.dueAt = dueAt;
        t.createdAt = Instant.now();
        return t;
    }
}
