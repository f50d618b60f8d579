package com.revops.sandbox.core;

import java.util.Map;

/**
 * A refusal the simulated CRM answers with: the HTTP status and the body exactly as the vendor writes it (a HubSpot
 * error object, or a Salesforce JSON error array), plus extra response headers when the vendor sends some.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final transient Object body;
    private final transient Map<String, String> headers;

    public ApiException(int status, Object body) {
        this(status, body, Map.of());
    }

    public ApiException(int status, Object body, Map<String, String> headers) {
        super("HTTP " + status, null, false, false);
        this.status = status;
        this.body = body;
        this.headers = headers;
    }

    public int status() {
        return status;
    }

    public Object body() {
        return body;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
