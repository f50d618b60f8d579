package com.revops.attribution.touchpoints;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One interaction of a person (and their account) with marketing or sales, in time. */
@Entity
@Table(name = "touchpoint")
public class Touchpoint {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String crm;

    @Column(name = "person_email")
    public String personEmail;

    @Column(name = "crm_person_id")
    public String crmPersonId;

    /** The person (lead) the touch belongs to, when known. */
    @Column(name = "lead_id")
    public UUID leadId;

    @Column(name = "crm_account_id")
    public String crmAccountId;

    @Column(name = "account_domain")
    public String accountDomain;

    @Column(name = "occurred_at", nullable = false)
    public Instant occurredAt;

    /** ad-click, form-submission, webinar, email-click, sdr-call, ae-meeting, ... */
    @Column(name = "touch_type", nullable = false)
    public String touchType;

    public String channel;

    public String source;

    public String campaign;

    /** Who produced it: marketing, sdr, ae, partner. */
    public String team;

    @Column(name = "recorded_at", nullable = false)
    public Instant recordedAt;
}
