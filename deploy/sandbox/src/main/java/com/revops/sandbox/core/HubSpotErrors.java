package com.revops.sandbox.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** HubSpot's error bodies: {@code status}, {@code message}, {@code correlationId}, {@code category}, ... */
public final class HubSpotErrors {

    private HubSpotErrors() {
    }

    public static ApiException error(int status, String category, String message) {
        return new ApiException(status, body(category, message, null));
    }

    public static ApiException validation(String message) {
        return error(400, "VALIDATION_ERROR", message);
    }

    public static ApiException notFound(String message) {
        return error(404, "OBJECT_NOT_FOUND", message);
    }

    public static Map<String, Object> body(String category, String message, Map<String, Object> context) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", message);
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("category", category);
        if (context != null) {
            body.put("context", context);
        }
        return body;
    }

    /** One entry of a 207 answer's {@code errors[]}: the ids it concerns are in {@code context.ids}. */
    public static Map<String, Object> batchError(String category, String message, List<String> ids) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("status", "error");
        e.put("category", category);
        e.put("message", message);
        e.put("context", Map.of("ids", ids));
        return e;
    }
}
