package com.revops.routing.assignment;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** A stored routing decision and its trace: the audit trail behind "why this rep". */
@Entity
@Table(name = "routing_decision")
public class RoutingDecision {

    @Id
    public UUID id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    @Column(name = "decided_at", nullable = false)
    public Instant decidedAt;

    /** lead-created, sla-breach, manual, requalified. */
    @Column(nullable = false)
    public String trigger;

    /** DUPLICATE, ACCOUNT_OWNER, RULE, FALLBACK, MANUAL. */
    @Column(nullable = false)
    public String reason;

    @Column(name = "rule_set_version")
    public Integer ruleSetVersion;

    @Column(name = "rule_name")
    public String ruleName;

    @Column(name = "team_id")
    public UUID teamId;

    @Column(name = "chosen_username")
    public String chosenUsername;

    public String queue;

    @Column(name = "decided_by")
    public String decidedBy;

    public String comment;

    @Column(nullable = false, columnDefinition = "jsonb")
    @ColumnTransformer(read = "trace::text", write = "?::text::jsonb")
    public String trace;
}
