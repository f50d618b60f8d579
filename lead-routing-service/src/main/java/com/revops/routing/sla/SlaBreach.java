package com.revops.routing.sla;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A missed first-touch deadline and what was done about it. */
@Entity
@Table(name = "sla_breach")
public class SlaBreach {

    @Id
    public UUID id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(nullable = false)
    public String username;

    @Column(name = "team_id")
    public UUID teamId;

    @Column(nullable = false)
    public String policy;

    @Column(name = "due_at", nullable = false)
    public Instant dueAt;

    @Column(name = "breached_at", nullable = false)
    public Instant breachedAt;

    /** reassigned or queued. */
    @Column(nullable = false)
    public String outcome;

    @Column(name = "reassigned_to")
    public String reassignedTo;
}
