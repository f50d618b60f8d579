package com.revops.feedback.notify;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** The manager of a team, told when a disqualification reason stays missing (managed by RevOps admins). */
@Entity
@Table(name = "escalation_contact")
public class EscalationContact {

    @Id
    @Column(name = "team_name")
    public String teamName;

    @Column(name = "manager_name", nullable = false)
    public String managerName;

    @Column(name = "manager_email")
    public String managerEmail;

    /** The manager's HubSpot owner id ({@code hubspot_owner_id}): a CRM task is created for them. */
    @Column(name = "hubspot_owner_id")
    public String hubspotOwnerId;

    /** The manager's Salesforce user id ({@code OwnerId} of a Task). */
    @Column(name = "salesforce_owner_id")
    public String salesforceOwnerId;

    /** Overrides the service-wide webhook for this team's notifications (e.g. the team's Slack channel). */
    @Column(name = "webhook_url")
    public String webhookUrl;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    /** The manager's owner id in {@code crm} (hubspot, salesforce), or null. */
    public String ownerIdIn(String crm) {
        return "hubspot".equals(crm) ? hubspotOwnerId : "salesforce".equals(crm) ? salesforceOwnerId : null;
    }
}
