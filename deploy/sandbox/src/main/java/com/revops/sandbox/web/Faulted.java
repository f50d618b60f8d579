package com.revops.sandbox.web;

import jakarta.ws.rs.core.HttpHeaders;

/** Small helpers shared by the CRM gates. */
final class Faulted {

    private Faulted() {
    }

    /** Injected latency: the request is served on a worker thread, so sleeping holds only this request. */
    static void sleep(long millis) {
        if (millis <= 0) {
            return;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String bearer(HttpHeaders headers) {
        String h = headers.getHeaderString("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = h.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
