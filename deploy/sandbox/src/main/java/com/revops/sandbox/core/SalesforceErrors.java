package com.revops.sandbox.core;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Salesforce's error answers: a JSON array of {@code {message, errorCode, fields}}. */
public final class SalesforceErrors {

    private SalesforceErrors() {
    }

    public static ApiException error(int status, String errorCode, String message, String... fields) {
        return new ApiException(status, List.of(entry(errorCode, message, fields)));
    }

    public static Map<String, Object> entry(String errorCode, String message, String... fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("message", message);
        e.put("errorCode", errorCode);
        if (fields.length > 0) {
            e.put("fields", List.of(fields));
        }
        return e;
    }

    /** The per-record error of sObject Collections and of create/upsert answers ({@code statusCode}, not errorCode). */
    public static Map<String, Object> recordError(String statusCode, String message, List<String> fields) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("statusCode", statusCode);
        e.put("message", message);
        e.put("fields", fields);
        return e;
    }

    /** A field-level refusal that sObject Collections report per record and single calls as a 400 array. */
    public static final class FieldError extends RuntimeException {
        private final String code;
        private final List<String> fields;

        public FieldError(String code, String message, List<String> fields) {
            super(message, null, false, false);
            this.code = code;
            this.fields = fields;
        }

        public String code() {
            return code;
        }

        public List<String> fields() {
            return fields;
        }

        public ApiException asApiException() {
            return error(400, code, getMessage(), fields.toArray(String[]::new));
        }
    }
}
