package com.revops.routing.assignment;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One rep's tenure on a lead. A lead is never reassigned to a rep who has a row here. */
@Entity
@Table(name = "lead_assignment")
public class LeadAssignment {

    @Id
    public UUID id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(nullable = false)
    public String username;

    @Column(name = "team_id")
    public UUID teamId;

    @Column(name = "decision_id", nullable = false)
    public UUID decisionId;

    @Column(name = "assigned_at", nullable = false)
    public Instant assignedAt;

    @Column(name = "ended_at")
    public Instant endedAt;

    @Column(name = "end_reason")
    public String endReason;
}
