package com.revops.gateway.commands;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.gateway.crm.hubspot.HubSpotException;
import com.revops.gateway.normalise.FieldMapping;

import io.smallrye.mutiny.Uni;

/** Commands applied to HubSpot: owner and status are contact properties, tasks are task objects. */
@ApplicationScoped
public class HubSpotWriter implements CrmWriter {

    /** HubSpot-defined association type: task to contact. */
    static final int TASK_TO_CONTACT = 204;

    private final HubSpotClient client;
    private final FieldMapping mapping;
    private final GatewayConfig config;

    public HubSpotWriter(HubSpotClient client, GatewayConfig config) {
        this.client = client;
        this.config = config;
        this.mapping = FieldMapping.hubspot(FieldMapping.parseOverrides(config.mapping().hubspot()));
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
            case "owner.assign" -> client.update(objects, spec.objectId(),
                    Map.of(mapping.crmField("owner"), require(spec.ownerId(), "ownerId")))
                    .map(o -> "owner of " + objects + "/" + o.id() + " set to " + spec.ownerId());
            case "lead.status.set" -> {
                Map<String, String> props = new HashMap<>();
                props.put(mapping.crmField("status"), require(spec.status(), "status"));
                if (spec.reason() != null) {
                    props.put(mapping.crmField("disqualificationReason"), spec.reason());
                }
                yield client.update(objects, spec.objectId(), props)
                        .map(o -> "status of " + objects + "/" + o.id() + " set to " + spec.status());
            }
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
            case "record.fields.set" -> {
                if (spec.fields() == null || spec.fields().isEmpty()) {
                    throw new CommandFailure("record.fields.set needs fields");
                }
                yield client.update(objects, spec.objectId(), spec.fields())
                        .map(o -> spec.fields().size() + " fields set on " + objects + "/" + o.id());
            }
            default -> throw new CommandFailure("unknown command type " + type);
        };
        return done.onFailure(HubSpotException.class).transform(e -> {
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
