package com.revops.gateway.crm.hubspot;

/** HubSpot answered with an error. Every field of HubSpot's error body is optional, so any may be null. */
public class HubSpotException extends RuntimeException {

    private final int status;
    private final String category;
    private final String correlationId;

    public HubSpotException(int status, String category, String message, String correlationId) {
        super("HubSpot " + status + (category == null ? "" : " " + category) + ": " + message);
        this.status = status;
        this.category = category;
        this.correlationId = correlationId;
    }

    public int status() {
        return status;
    }

    public String category() {
        return category;
    }

    public String correlationId() {
        return correlationId;
    }

    /** 5xx, time-outs, connection failures and 429s that outlived the retries: worth trying again later. */
    public boolean transientFailure() {
        return status == 0 || status == 429 || status >= 500;
    }
}
