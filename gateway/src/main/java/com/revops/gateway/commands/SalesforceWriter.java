package com.revops.gateway.commands;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.SalesforceClientProducer;
import com.revops.gateway.crm.salesforce.SalesforceAuthException;
import com.revops.gateway.crm.salesforce.SalesforceException;
import com.revops.gateway.crm.salesforce.SalesforceQuotaExceededException;
import com.revops.gateway.crm.salesforce.SalesforceUnavailableException;
import com.revops.gateway.normalise.FieldMapping;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Commands applied to Salesforce. The OkHttp client blocks, so calls run on the worker pool, never on the event
 * loop. Owner writes carry {@code Sforce-Auto-Assign: FALSE} so the org's assignment rules cannot undo them.
 */
@ApplicationScoped
public class SalesforceWriter implements CrmWriter {

    private final SalesforceClientProducer.Connection connection;
    private final FieldMapping mapping;

    @jakarta.inject.Inject
    public SalesforceWriter(SalesforceClientProducer.Connection connection, GatewayConfig config) {
        this(connection, config.mapping().of("salesforce"));
    }

    public SalesforceWriter(SalesforceClientProducer.Connection connection, FieldMapping mapping) {
        this.connection = connection;
        this.mapping = mapping;
    }

    @Override
    public String crm() {
        return "salesforce";
    }

    @Override
    public Uni<String> apply(String type, CommandSpec spec) {
        if (!connection.connected()) {
            return Uni.createFrom().failure(new IllegalStateException("Salesforce is not connected (no credentials)"));
        }
        return Uni.createFrom().item(() -> applyBlocking(type, spec))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private String applyBlocking(String type, CommandSpec spec) {
        var client = connection.client();
        String objectId = HubSpotWriter.require(spec.objectId(), "objectId");
        String sobject = spec.objectType() == null || spec.objectType().isBlank() ? "Lead" : spec.objectType();
        try {
            switch (type) {
                case "owner.assign" -> {
                    client.updateRecord(sobject, objectId, Map.of(mapping.crmField("owner"),
                            HubSpotWriter.require(spec.ownerId(), "ownerId")), true);
                    return "owner of " + sobject + "/" + objectId + " set to " + spec.ownerId();
                }
                case "lead.status.set" -> {
                    Map<String, Object> fields = new HashMap<>();
                    fields.put(mapping.crmField("status"), HubSpotWriter.require(spec.status(), "status"));
                    if (spec.reason() != null) {
                        fields.put(mapping.crmField("disqualificationReason"), spec.reason());
                    }
                    client.updateRecord(sobject, objectId, fields);
                    return "status of " + sobject + "/" + objectId + " set to " + spec.status();
                }
                case "task.create" -> {
                    Map<String, Object> task = new HashMap<>();
                    task.put("WhoId", objectId);
                    task.put("Subject", HubSpotWriter.require(spec.subject(), "subject"));
                    task.put("Description", spec.body());
                    task.put("Priority", "High");
                    task.put("Status", "Not Started");
                    if (spec.dueAt() != null) {
                        task.put("ActivityDate", Instant.parse(spec.dueAt()).atZone(ZoneOffset.UTC).toLocalDate()
                                .toString());
                    }
                    if (spec.ownerId() != null) {
                        task.put("OwnerId", spec.ownerId());
                    }
                    return "task " + client.createRecord("Task", task) + " created for " + objectId;
                }
                case "record.fields.set" -> {
                    if (spec.fields() == null || spec.fields().isEmpty()) {
                        throw new CommandFailure("record.fields.set needs fields");
                    }
                    client.updateRecord(sobject, objectId, spec.fields(), spec.fields().containsKey("OwnerId"));
                    return spec.fields().size() + " fields set on " + sobject + "/" + objectId;
                }
                default -> throw new CommandFailure("unknown command type " + type);
            }
        } catch (SalesforceQuotaExceededException | SalesforceUnavailableException | SalesforceAuthException e) {
            throw e; // transient: the executor retries with back-off (quota frees up within the rolling day)
        } catch (SalesforceException e) {
            throw new CommandFailure(e.getMessage());
        }
    }
}
