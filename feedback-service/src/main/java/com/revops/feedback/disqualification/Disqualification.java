package com.revops.feedback.disqualification;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A lead that sales disqualified, with its reason and the context joined at capture. */
@Entity
@Table(name = "disqualification")
public class Disqualification {

    public static final String ACTIVE = "ACTIVE";
    public static final String RECYCLED = "RECYCLED";
    public static final String REQUALIFIED = "REQUALIFIED";
    public static final String REOPENED = "REOPENED";
    /** A duplicate after a CRM merge: the surviving lead's more informative disqualification stands instead. */
    public static final String MERGED = "MERGED";
    public static final String PROVIDED = "PROVIDED";
    public static final String MISSING = "MISSING";

    @Id
    public UUID id;

    @Column(name = "lead_id", nullable = false)
    public UUID leadId;

    public String crm;

    @Column(name = "crm_id")
    public String crmId;

    @Column(name = "crm_status")
    public String crmStatus;

    /** ACTIVE, RECYCLED, REQUALIFIED (dispute accepted) or REOPENED (status changed back in the CRM). */
    @Column(nullable = false)
    public String state;

    /** PROVIDED or MISSING. */
    @Column(name = "reason_state", nullable = false)
    public String reasonState;

    /** The reason was missing at capture: this record went through the missing-reason loop. */
    @Column(name = "reason_was_missing", nullable = false)
    public boolean reasonWasMissing;

    @Column(name = "reason_code")
    public String reasonCode;

    @Column(name = "reason_category")
    public String reasonCategory;

    /** The CRM value the reason was read from (kept when it could not be mapped). */
    @Column(name = "reason_raw")
    public String reasonRaw;

    public String note;

    @Column(name = "taxonomy_version")
    public Integer taxonomyVersion;

    @Column(name = "disqualified_at", nullable = false)
    public Instant disqualifiedAt;

    @Column(name = "reason_provided_at")
    public Instant reasonProvidedAt;

    /** event or api. */
    @Column(name = "captured_via", nullable = false)
    public String capturedVia;

    @Column(name = "captured_by")
    public String capturedBy;

    public String company;

    public String source;

    public String channel;

    public String campaign;

    public String form;

    public String country;

    @Column(name = "company_size")
    public String companySize;

    public String industry;

    public String seniority;

    @Column(name = "intent_tier")
    public String intentTier;

    @Column(name = "owner_crm_id")
    public String ownerCrmId;

    @Column(name = "owner_username")
    public String ownerUsername;

    @Column(name = "team_name")
    public String teamName;

    @Column(name = "routing_rule")
    public String routingRule;

    @Column(name = "lead_created_at")
    public Instant leadCreatedAt;

    @Column(name = "lead_age_seconds")
    public Long leadAgeSeconds;

    @Column(name = "first_touched_at")
    public Instant firstTouchedAt;

    @Column(name = "ttft_seconds")
    public Long ttftSeconds;

    /** No first touch and no outbound activity was recorded before the disqualification. */
    @Column(name = "no_contact_attempt", nullable = false)
    public boolean noContactAttempt;

    @Column(name = "reminders_sent", nullable = false)
    public int remindersSent;

    @Column(name = "manager_notified_at")
    public Instant managerNotifiedAt;

    @Column(name = "recycle_at")
    public Instant recycleAt;

    /** 1 for the first recycling of this lead, 2 for the second... */
    @Column(name = "recycle_number")
    public Integer recycleNumber;

    /** Recyclable reason, but the lead reached the recycling cap. */
    @Column(name = "recycle_capped", nullable = false)
    public boolean recycleCapped;

    @Column(name = "recycled_at")
    public Instant recycledAt;

    @Column(name = "closed_at")
    public Instant closedAt;

    /** The CRM record was deleted (or merged away): the record stands for statistics, no command goes to the CRM. */
    @Column(name = "crm_deleted_at")
    public Instant crmDeletedAt;

    /** The lead this record belonged to before a CRM merge moved it to the surviving lead. */
    @Column(name = "merged_from_lead_id")
    public UUID mergedFromLeadId;

    /** MERGED: the disqualification that stands instead. */
    @Column(name = "superseded_by")
    public UUID supersededBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    public boolean isActive() {
        return ACTIVE.equals(state);
    }

    public boolean reasonMissing() {
        return MISSING.equals(reasonState);
    }
}
