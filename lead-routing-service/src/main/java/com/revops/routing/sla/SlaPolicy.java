package com.revops.routing.sla;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Time-to-first-touch target for leads of an intent tier and/or channel. */
@Entity
@Table(name = "sla_policy")
public class SlaPolicy {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    /** Lower is tried first. */
    @Column(nullable = false)
    public int priority;

    @Column(name = "intent_tier")
    public String intentTier;

    public String channel;

    @Column(name = "target_seconds", nullable = false)
    public int targetSeconds;

    /** WALL (calendar time) or BUSINESS (the rep's working hours). */
    @Column(nullable = false)
    public String clock;

    @Column(name = "warning_ratio", nullable = false)
    public BigDecimal warningRatio;

    @Column(name = "max_reassignments", nullable = false)
    public int maxReassignments;

    @Column(name = "fallback_queue", nullable = false)
    public String fallbackQueue;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean matches(String tier, String leadChannel) {
        return active && (intentTier == null || intentTier.equalsIgnoreCase(tier))
                && (channel == null || channel.equalsIgnoreCase(leadChannel));
    }
}
