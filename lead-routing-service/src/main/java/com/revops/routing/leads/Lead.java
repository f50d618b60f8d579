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

    /** Lead events applied to this row so far. */
    @Column(nullable = false)
    public int revision;
}
