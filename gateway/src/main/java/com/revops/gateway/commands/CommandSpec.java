package com.revops.gateway.commands;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * The payload of a command on {@code crm.commands} (v1). Which fields matter depends on the command type:
 * <ul>
 * <li>{@code owner.assign}: crm, objectType, objectId, ownerId</li>
 * <li>{@code lead.status.set}: crm, objectType, objectId, status, optional reason</li>
 * <li>{@code task.create}: crm, objectId (the person), subject, optional body, dueAt (ISO instant), ownerId</li>
 * <li>{@code record.fields.set}: crm, objectType, objectId, fields (CRM property names and values)</li>
 * </ul>
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CommandSpec(String crm, String objectType, String objectId, String ownerId, String status,
        String reason, String subject, String body, String dueAt, Map<String, String> fields) {
}
