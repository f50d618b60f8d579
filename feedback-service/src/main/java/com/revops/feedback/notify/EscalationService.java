package com.revops.feedback.notify;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.feedback.commands.CrmCommands;
import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.disqualification.Disqualification;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;

/**
 * Makes an overdue reason reach the owner's manager: a durable notification (delivered by the
 * {@link NotificationDispatcher}) and, when the manager's CRM owner id is known, a {@code task.create} for them in
 * the CRM. Runs inside the escalation timer's transaction, so both exist if and only if the escalation committed.
 */
@ApplicationScoped
public class EscalationService {

    private final EscalationContactRepository contacts;
    private final NotificationRepository notifications;
    private final CrmCommands commands;
    private final FeedbackConfig config;
    private final ObjectMapper json;
    private final MeterRegistry registry;

    public EscalationService(EscalationContactRepository contacts, NotificationRepository notifications,
            CrmCommands commands, FeedbackConfig config, ObjectMapper json, MeterRegistry registry) {
        this.contacts = contacts;
        this.notifications = notifications;
        this.commands = commands;
        this.config = config;
        this.json = json;
        this.registry = registry;
    }

    /** The manager who is told: the team's escalation contact, else the configured default (either may be empty). */
    public record Manager(String name, String hubspotOwnerId, String salesforceOwnerId, String webhookUrl) {
        String ownerIdIn(String crm) {
            return "hubspot".equals(crm) ? hubspotOwnerId : "salesforce".equals(crm) ? salesforceOwnerId : null;
        }
    }

    public Uni<Manager> managerOf(String team) {
        Uni<EscalationContact> contact = team == null ? Uni.createFrom().nullItem() : contacts.findById(team);
        return contact.map(c -> c != null
                ? new Manager(c.managerName, c.hubspotOwnerId, c.salesforceOwnerId, c.webhookUrl)
                : new Manager(config.escalation().defaultManager().orElse(null),
                        config.escalation().defaultOwnerHubspot().orElse(null),
                        config.escalation().defaultOwnerSalesforce().orElse(null), null));
    }

    /** Notification and manager task for an overdue reason; returns the manager's name (or null). */
    public Uni<String> escalate(Disqualification d, Instant now) {
        return managerOf(d.teamName).chain(m -> {
            Notification n = new Notification();
            n.id = UUID.randomUUID();
            n.kind = Notification.REASON_OVERDUE;
            n.disqualificationId = d.id;
            n.leadId = d.leadId;
            n.teamName = d.teamName;
            n.recipient = m.name();
            n.channel = config.notifications().channel();
            n.target = NotificationPolicy.target(m.webhookUrl(), config.notifications().webhookUrl().orElse(null));
            n.payload = toJson(OverdueMessage.build(new OverdueMessage.Facts(d.id.toString(), d.leadId.toString(),
                    d.company, d.crm, d.crmId, d.ownerUsername, d.teamName, m.name(), d.source, d.campaign,
                    d.disqualifiedAt, d.remindersSent, now)));
            n.state = "none".equals(n.target) ? Notification.SKIPPED : Notification.PENDING;
            n.lastError = "none".equals(n.target) ? "no webhook URL configured (FEEDBACK_NOTIFY_WEBHOOK_URL or the "
                    + "team's escalation contact)" : null;
            n.nextAttemptAt = now;
            n.createdAt = now;
            registry.counter("feedback.notifications.created", "state", n.state.toLowerCase()).increment();
            String ownerId = d.crm == null ? null : m.ownerIdIn(d.crm);
            Uni<?> task = ownerId == null || d.crmId == null ? Uni.createFrom().voidItem()
                    : commands.createTask(d.crm, d.crmId, ownerId, managerTaskSubject(d), managerTaskBody(d, now),
                            now.plus(config.escalation().taskDueIn()));
            return notifications.persist(n).chain(() -> task).replaceWith(m.name());
        });
    }

    static String managerTaskSubject(Disqualification d) {
        return "Follow up: disqualification reason missing"
                + (d.ownerUsername == null ? "" : " (owner " + d.ownerUsername + ")");
    }

    static String managerTaskBody(Disqualification d, Instant now) {
        long days = Math.max(0, java.time.Duration.between(d.disqualifiedAt, now).toDays());
        return "This lead was disqualified on " + d.disqualifiedAt + " and its reason is still missing after " + days
                + " day(s) and " + d.remindersSent + " reminder(s) to " + (d.ownerUsername == null ? "its owner"
                : d.ownerUsername) + ". Please make sure the disqualification reason is set. Feedback id " + d.id
                + ".";
    }

    private String toJson(Map<String, Object> message) {
        try {
            return json.writeValueAsString(message);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("notification payload", e);
        }
    }
}
