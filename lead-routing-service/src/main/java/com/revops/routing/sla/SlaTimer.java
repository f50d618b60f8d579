package com.revops.routing.sla;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A durable deadline: fired once, by whichever replica claims it first. */
@Entity
@Table(name = "sla_timer")
public class SlaTimer {

    @Id
    public UUID id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(name = "assignment_id", nullable = false)
    public UUID assignmentId;

    /** WARNING or DEADLINE. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    /** PENDING, FIRED, CANCELLED. */
    @Column(nullable = false)
    public String state;

    @Column(name = "fired_at")
    public Instant firedAt;

    @Column(name = "fired_by")
    public String firedBy;
}
