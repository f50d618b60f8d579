package com.revops.feedback.commands;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;

import io.smallrye.mutiny.Uni;

/**
 * Commands to the gateway on {@code crm.commands} (payload as the gateway's CommandSpec v1), through the outbox so
 * that a command exists if and only if the change that asked for it committed.
 */
@ApplicationScoped
public class CrmCommands {

    public static final String TASK_CREATE = "task.create";
    public static final String LEAD_STATUS_SET = "lead.status.set";
    public static final String RECORD_FIELDS_SET = "record.fields.set";

    private final Outbox outbox;

    public CrmCommands(Outbox outbox) {
        this.outbox = outbox;
    }

    /** The CRM object a lead is: a HubSpot contact or a Salesforce Lead. */
    public static String objectType(String crm) {
        return "salesforce".equals(crm) ? "Lead" : "contact";
    }

    /** Asks the CRM owner of a person for something, as a task due at {@code dueAt}. */
    public Uni<EventEnvelope> createTask(String crm, String crmId, String ownerCrmId, String subject, String body,
            Instant dueAt) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("crm", crm);
        data.put("objectType", objectType(crm));
        data.put("objectId", crmId);
        data.put("ownerId", ownerCrmId);
        data.put("subject", subject);
        data.put("body", body);
        data.put("dueAt", dueAt.toString());
        return outbox.enqueue(Exchanges.CRM_COMMANDS, TASK_CREATE, 1, "lead/" + crm + "/" + crmId, data);
    }

    /** Sets the lead status of a person, with an optional reason value. */
    public Uni<EventEnvelope> setStatus(String crm, String crmId, String status, String reason) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("crm", crm);
        data.put("objectType", objectType(crm));
        data.put("objectId", crmId);
        data.put("status", status);
        if (reason != null) {
            data.put("reason", reason);
        }
        return outbox.enqueue(Exchanges.CRM_COMMANDS, LEAD_STATUS_SET, 1, "lead/" + crm + "/" + crmId, data);
    }

    /** Writes CRM fields of a person (CRM property names and values). */
    public Uni<EventEnvelope> setFields(String crm, String crmId, Map<String, String> fields) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("crm", crm);
        data.put("objectType", objectType(crm));
        data.put("objectId", crmId);
        data.put("fields", fields);
        return outbox.enqueue(Exchanges.CRM_COMMANDS, RECORD_FIELDS_SET, 1, "lead/" + crm + "/" + crmId, data);
    }
}
