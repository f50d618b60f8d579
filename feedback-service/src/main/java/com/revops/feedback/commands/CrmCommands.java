package com.revops.feedback.commands;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Commands to the gateway on {@code crm.commands} (payload as the gateway's CommandSpec v1), through the outbox so
 * that a command exists if and only if the change that asked for it committed. A CRM record that was deleted or
 * merged away ({@code crm_record_gone}) never gets a command: the Uni then yields null.
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

    /** Enqueues the command unless its CRM record is gone (checked in the caller's transaction). */
    private Uni<EventEnvelope> send(String type, String crm, String crmId, Map<String, Object> data) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "SELECT count(*) FROM crm_record_gone WHERE crm = :crm AND crm_id = :id", Long.class)
                .setParameter("crm", crm).setParameter("id", crmId).getSingleResult())
                .chain(gone -> {
                    if (gone > 0) {
                        Log.infof("%s to %s/%s not sent: the CRM record was deleted or merged away", type, crm, crmId);
                        return Uni.createFrom().nullItem();
                    }
                    return outbox.enqueue(Exchanges.CRM_COMMANDS, type, 1, "lead/" + crm + "/" + crmId, data);
                });
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
        return send(TASK_CREATE, crm, crmId, data);
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
        return send(LEAD_STATUS_SET, crm, crmId, data);
    }

    /** Writes CRM fields of a person (CRM property names and values). */
    public Uni<EventEnvelope> setFields(String crm, String crmId, Map<String, String> fields) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("crm", crm);
        data.put("objectType", objectType(crm));
        data.put("objectId", crmId);
        data.put("fields", fields);
        return send(RECORD_FIELDS_SET, crm, crmId, data);
    }
}
