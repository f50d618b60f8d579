package com.revops.gateway.commands;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.gateway.crm.hubspot.HubSpotException;
import com.revops.gateway.crm.hubspot.HubSpotModels.BatchError;
import com.revops.gateway.crm.hubspot.HubSpotModels.UpsertInput;
import com.revops.gateway.normalise.FieldMapping;

import io.smallrye.mutiny.Uni;

/** Commands applied to HubSpot: owner and status are contact properties, tasks are task objects. */
@ApplicationScoped
public class HubSpotWriter implements CrmWriter {

    /** The outcome of a batch input HubSpot's answer names neither as written nor as failed: tried again later. */
    static final String NOT_ANSWERED = "the batch answer names this record neither as written nor as failed";

    /** HubSpot-defined association type: task to contact. */
    static final int TASK_TO_CONTACT = 204;

    private final HubSpotClient client;
    private final FieldMapping mapping;
    private final GatewayConfig config;

    public HubSpotWriter(HubSpotClient client, GatewayConfig config) {
        this.client = client;
        this.config = config;
        this.mapping = config.mapping().of("hubspot");
    }

    @Override
    public String crm() {
        return "hubspot";
    }

    @Override
    public Uni<String> apply(String type, CommandSpec spec) {
        if (!config.hubspot().connected()) {
            // transient on purpose: the command waits, with back-off, until credentials are configured
            return Uni.createFrom().failure(new IllegalStateException("HubSpot is not connected (no API credentials)"));
        }
        require(spec.objectId(), "objectId");
        String objects = objects(spec.objectType());
        Uni<String> done = switch (type) {
            case "owner.assign", "lead.status.set", "record.fields.set" -> client.update(objects, spec.objectId(),
                    properties(type, spec)).map(o -> describe(type, spec, objects, o.id()));
            case "task.create" -> {
                Map<String, String> props = new HashMap<>();
                props.put("hs_task_subject", require(spec.subject(), "subject"));
                props.put("hs_task_body", spec.body() == null ? "" : spec.body());
                props.put("hs_task_status", "NOT_STARTED");
                props.put("hs_task_priority", "HIGH");
                props.put("hs_timestamp", Long.toString(spec.dueAt() == null ? System.currentTimeMillis()
                        : Instant.parse(spec.dueAt()).toEpochMilli()));
                if (spec.ownerId() != null) {
                    props.put("hubspot_owner_id", spec.ownerId());
                }
                yield client.create("tasks", props, spec.objectId(), TASK_TO_CONTACT)
                        .map(o -> "task " + o.id() + " created on contact " + spec.objectId());
            }
            default -> throw new CommandFailure("unknown command type " + type);
        };
        return permanentUnlessTransient(done);
    }

    /** The command types that set properties of one record, and so can share a batch update. */
    static boolean writesProperties(String type) {
        return "owner.assign".equals(type) || "lead.status.set".equals(type) || "record.fields.set".equals(type);
    }

    /** The HubSpot properties a property command sets; {@link CommandFailure} when the command lacks them. */
    Map<String, String> properties(String type, CommandSpec spec) {
        Map<String, String> props = new HashMap<>();
        switch (type) {
            case "owner.assign" -> props.put(mapping.crmField("owner"), require(spec.ownerId(), "ownerId"));
            case "lead.status.set" -> {
                props.put(mapping.crmField("status"), require(spec.status(), "status"));
                if (spec.reason() != null) {
                    props.put(mapping.crmField("disqualificationReason"), spec.reason());
                }
            }
            case "record.fields.set" -> {
                if (spec.fields() == null || spec.fields().isEmpty()) {
                    throw new CommandFailure("record.fields.set needs fields");
                }
                props.putAll(spec.fields());
            }
            default -> throw new CommandFailure(type + " does not set record properties");
        }
        return props;
    }

    /** What a property command did, as recorded in its outcome. */
    static String describe(String type, CommandSpec spec, String objects, String id) {
        return switch (type) {
            case "owner.assign" -> "owner of " + objects + "/" + id + " set to " + spec.ownerId();
            case "lead.status.set" -> "status of " + objects + "/" + id + " set to " + spec.status();
            default -> spec.fields().size() + " fields set on " + objects + "/" + id;
        };
    }

    /**
     * Writes the properties of several records of one object type in {@code batch/update} calls of at most 100.
     * Answers, per record id, null when it was written or the error HubSpot gave it (a 207's per-record errors are
     * permanent). A failure of the whole call is transient (429, 5xx, timeouts after the client's own retries) or a
     * {@link CommandFailure}.
     */
    public Uni<Map<String, String>> updateBatch(String objects, Map<String, Map<String, String>> propertiesById) {
        if (!config.hubspot().connected()) {
            return Uni.createFrom().failure(new IllegalStateException("HubSpot is not connected (no API credentials)"));
        }
        List<UpsertInput> inputs = new ArrayList<>();
        propertiesById.forEach((id, props) -> inputs.add(new UpsertInput(id, props)));
        return permanentUnlessTransient(client.batchUpdate(objects, inputs)).map(result -> {
            Map<String, String> outcome = new LinkedHashMap<>();
            Set<String> written = new HashSet<>();
            result.results().forEach(o -> written.add(o.id()));
            for (BatchError e : result.errors()) {
                for (String id : e.ids()) {
                    outcome.put(id, e.category() + ": " + e.message());
                }
            }
            for (String id : propertiesById.keySet()) {
                if (!outcome.containsKey(id)) {
                    outcome.put(id, written.contains(id) ? null : NOT_ANSWERED);
                }
            }
            return outcome;
        });
    }

    private static <T> Uni<T> permanentUnlessTransient(Uni<T> call) {
        return call.onFailure(HubSpotException.class).transform(e -> {
            HubSpotException h = (HubSpotException) e;
            return h.transientFailure() ? h : new CommandFailure(h.getMessage());
        });
    }

    static String objects(String objectType) {
        if (objectType == null || objectType.isBlank() || objectType.startsWith("contact") || "lead".equals(
                objectType)) {
            return "contacts";
        }
        return objectType.endsWith("s") ? objectType : objectType + "s";
    }

    static String require(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new CommandFailure("the command has no " + name);
        }
        return value;
    }
}
