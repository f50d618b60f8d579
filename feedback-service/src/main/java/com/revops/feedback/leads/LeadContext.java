package com.revops.feedback.leads;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Source and segment attributes of a lead, joined to its disqualification when one is captured. */
@Entity
@Table(name = "lead_context")
@org.hibernate.annotations.DynamicUpdate
public class LeadContext {

    @Id
    @Column(name = "lead_id")
    public UUID leadId;

    /** Null until the gateway's lead.created arrives when a routing event came first. */
    public String crm;

    @Column(name = "crm_id")
    public String crmId;

    public String email;

    public String company;

    public String country;

    @Column(name = "company_size")
    public String companySize;

    public String industry;

    public String source;

    public String channel;

    public String campaign;

    @Column(name = "intent_tier")
    public String intentTier;

    @Column(name = "crm_created_at")
    public Instant crmCreatedAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public String form;

    public String seniority;

    /** The CRM lead status last seen. */
    @Column(name = "crm_status")
    public String crmStatus;

    @Column(name = "owner_crm_id")
    public String ownerCrmId;

    @Column(name = "owner_username")
    public String ownerUsername;

    @Column(name = "team_id")
    public UUID teamId;

    @Column(name = "team_name")
    public String teamName;

    @Column(name = "routing_rule")
    public String routingRule;

    @Column(name = "rule_set_version")
    public Integer ruleSetVersion;

    @Column(name = "routed_at")
    public Instant routedAt;

    @Column(name = "first_touched_at")
    public Instant firstTouchedAt;

    @Column(name = "ttft_seconds")
    public Long ttftSeconds;

    /** The first outbound call, email or meeting logged for the lead (activity.logged), if any. */
    @Column(name = "contact_attempted_at")
    public Instant contactAttemptedAt;

    @Column(name = "first_seen_at", nullable = false)
    public Instant firstSeenAt;

    /** A context row for a lead first heard of now. */
    public static LeadContext fresh(UUID leadId) {
        LeadContext c = new LeadContext();
        c.leadId = leadId;
        c.firstSeenAt = Instant.now();
        c.updatedAt = c.firstSeenAt;
        return c;
    }

    /** When the lead was created, as well as feedback knows. */
    public Instant createdAt() {
        return crmCreatedAt != null ? crmCreatedAt : firstSeenAt;
    }
}
