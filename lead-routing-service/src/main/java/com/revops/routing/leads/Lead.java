package com.revops.routing.leads;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A lead as routing knows it: identity in its CRM, the attributes rules test, and its current owner. */
@Entity
@Table(name = "lead")
public class Lead {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String crm;

    @Column(name = "crm_id", nullable = false)
    public String crmId;

    public String email;

    @Column(name = "first_name")
    public String firstName;

    @Column(name = "last_name")
    public String lastName;

    public String company;

    public String country;

    public String source;

    public String channel;

    @Column(name = "intent_tier")
    public String intentTier;

    /** Keycloak username of the SDR who owns the lead, null while unassigned. */
    @Column(name = "owner_username")
    public String ownerUsername;

    @Column(name = "crm_created_at")
    public Instant crmCreatedAt;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "company_size")
    public Integer companySize;

    public String industry;

    public String region;

    public String language;

    public java.math.BigDecimal score;

    public String campaign;

    /** Custom CRM fields rules can test as {@code custom.<name>}; a JSON object. */
    @Column(name = "custom_fields", columnDefinition = "jsonb")
    @org.hibernate.annotations.ColumnTransformer(read = "custom_fields::text", write = "?::text::jsonb")
    public String customFields;

    /**
     * NEW (not routed yet), ASSIGNED (owner, untouched), QUEUED (waiting in a queue), TOUCHED, CLOSED, HISTORIC
     * (created in the CRM long before it reached us: kept, never routed).
     */
    @Column(nullable = false)
    public String status = "NEW";

    @Column(name = "team_id")
    public UUID teamId;

    public String queue;

    @Column(name = "assigned_at")
    public Instant assignedAt;

    @Column(name = "decision_id")
    public UUID decisionId;

    @Column(name = "first_touched_at")
    public Instant firstTouchedAt;

    @Column(name = "first_touch_via")
    public String firstTouchVia;

    @Column(name = "first_touch_activity")
    public String firstTouchActivity;

    @Column(name = "sla_policy")
    public String slaPolicy;

    @Column(name = "sla_due_at")
    public Instant slaDueAt;

    /** RUNNING, MET, BREACHED, ESCALATED; null when no clock applies. */
    @Column(name = "sla_state")
    public String slaState;

    @Column(name = "reassignment_count", nullable = false)
    public int reassignmentCount;

    /** Lead events applied to this row so far. */
    @Column(nullable = false)
    public int revision;
}
