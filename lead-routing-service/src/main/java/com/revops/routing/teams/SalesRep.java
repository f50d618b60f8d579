package com.revops.routing.teams;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.ColumnTransformer;

/** A rep who can receive leads: their CRM owner ids, working hours, skills and capacity. */
@Entity
@Table(name = "rep")
public class SalesRep {

    @Id
    public String username;

    @Column(name = "display_name")
    public String displayName;

    public String email;

    @Column(name = "hubspot_owner_id")
    public String hubspotOwnerId;

    @Column(name = "salesforce_owner_id")
    public String salesforceOwnerId;

    @Column(name = "time_zone", nullable = false)
    public String timeZone;

    /** JSON {"MONDAY":[["09:00","17:00"]],...}; null when the rep is always available. */
    @Column(name = "working_hours", columnDefinition = "jsonb")
    @ColumnTransformer(read = "working_hours::text", write = "?::text::jsonb")
    public String workingHours;

    /** Comma-separated, e.g. {@code lang:de,region:emea}. */
    @Column(nullable = false)
    public String skills;

    public Integer capacity;

    @Column(nullable = false)
    public boolean active;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The rep's owner id in {@code crm}, or null. */
    public String ownerIdIn(String crm) {
        return "salesforce".equals(crm) ? salesforceOwnerId : hubspotOwnerId;
    }
}
