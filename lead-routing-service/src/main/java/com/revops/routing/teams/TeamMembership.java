package com.revops.routing.teams;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A rep in a team: their weight and round-robin pass. */
@Entity
@Table(name = "team_member")
public class TeamMembership {

    @Id
    public UUID id;

    @Column(name = "team_id", nullable = false)
    public UUID teamId;

    @Column(nullable = false)
    public String username;

    @Column(nullable = false)
    public int weight;

    @Column(name = "rr_pass", nullable = false)
    public double rrPass;

    @Column(name = "assigned_count", nullable = false)
    public long assignedCount;

    @Column(name = "last_assigned_at")
    public Instant lastAssignedAt;
}
