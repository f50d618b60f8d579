package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * One entry of the error array Salesforce answers on a failed REST call:
 * {@code [{"message":"...","errorCode":"...","fields":["..."]}]}. Every part is optional in practice.
 *
 * @param errorCode e.g. {@code INVALID_FIELD}, {@code REQUIRED_FIELD_MISSING}; null when absent
 * @param message human-readable text; null when absent
 * @param fields the fields concerned, never null (empty when absent)
 */
public record SalesforceError(String errorCode, String message, List<String> fields) {

    public SalesforceError {
        fields = fields == null ? List.of() : List.copyOf(fields);
    }
}
