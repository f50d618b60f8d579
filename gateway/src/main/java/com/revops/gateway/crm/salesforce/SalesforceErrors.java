package com.revops.gateway.crm.salesforce;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads whatever Salesforce (or a proxy in front of it) put in an error body. The REST API answers an array
 * {@code [{"message","errorCode","fields"}]}, the OAuth endpoint an object {@code {"error","error_description"}},
 * and load balancers HTML. Every field is optional and nothing here throws: an unreadable body becomes one error whose
 * message is the start of the body, so the caller still sees what came back.
 */
final class SalesforceErrors {

    /** Enough of an unreadable body to recognise it in a log without flooding it. */
    private static final int SNIPPET_LENGTH = 200;

    private SalesforceErrors() {
    }

    static List<SalesforceError> parse(ObjectMapper mapper, String body) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException | RuntimeException notJson) {
            return List.of(new SalesforceError(null, snippet(body), List.of()));
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return List.of();
        }
        List<SalesforceError> errors = new ArrayList<>();
        if (root.isArray()) {
            root.forEach(entry -> errors.add(one(entry)));
        } else {
            errors.add(one(root));
        }
        return errors;
    }

    private static SalesforceError one(JsonNode entry) {
        if (!entry.isObject()) {
            return new SalesforceError(null, entry.isValueNode() ? entry.asText() : snippet(entry.toString()),
                    List.of());
        }
        // REST errors say errorCode, sObject Collections statusCode, OAuth error/error_description.
        String code = firstText(entry, "errorCode", "statusCode", "error");
        String message = firstText(entry, "message", "error_description");
        return new SalesforceError(code, message, texts(entry.get("fields")));
    }

    /** Reads a {@code fields} value, tolerating a single string where an array was expected. */
    static List<String> texts(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (node.isValueNode()) {
            return List.of(node.asText());
        }
        List<String> values = new ArrayList<>();
        node.forEach(v -> {
            if (v.isValueNode() && !v.isNull()) {
                values.add(v.asText());
            }
        });
        return values;
    }

    static String text(JsonNode node, String field) {
        JsonNode value = node == null ? null : node.get(field);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String field : fields) {
            String value = text(node, field);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    private static String snippet(String body) {
        String flat = body.strip().replaceAll("\\s+", " ");
        return flat.length() <= SNIPPET_LENGTH ? flat : flat.substring(0, SNIPPET_LENGTH) + "...";
    }
}
