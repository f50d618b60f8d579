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
public class LeadContext {

    @Id
    @Column(name = "lead_id")
    public UUID leadId;

    @Column(nullable = false)
    public String crm;

    @Column(name = "crm_id", nullable = false)
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
}
