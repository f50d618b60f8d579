package com.revops.feedback.disputes;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One step of a dispute: who did what, when, with which comment. Append-only. */
@Entity
@Table(name = "dispute_audit")
public class DisputeAudit {

    @Id
    public UUID id;

    @Column(name = "dispute_id", nullable = false)
    public UUID disputeId;

    @Column(nullable = false)
    public String action;

    @Column(nullable = false)
    public String actor;

    @Column(nullable = false)
    public Instant at;

    public String comment;

    static DisputeAudit of(UUID disputeId, String action, String actor, Instant at, String comment) {
        DisputeAudit a = new DisputeAudit();
        a.id = UUID.randomUUID();
        a.disputeId = disputeId;
        a.action = action;
        a.actor = actor;
        a.at = at;
        a.comment = comment;
        return a;
    }
}
