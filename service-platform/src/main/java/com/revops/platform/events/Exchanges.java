package com.revops.platform.events;

/** The topic exchanges of the backbone. The routing key of every message is its event type. */
public final class Exchanges {
    /** Canonical CRM facts, published by the gateway. */
    public static final String CRM_EVENTS = "crm.events";
    /** Commands to the CRMs, consumed by the gateway. */
    public static final String CRM_COMMANDS = "crm.commands";
    public static final String ROUTING_EVENTS = "routing.events";
    public static final String FEEDBACK_EVENTS = "feedback.events";
    public static final String ATTRIBUTION_EVENTS = "attribution.events";
    /** Where every service queue dead-letters to; each queue has its own {@code <queue>.dlq} bound here. */
    public static final String DEAD_LETTERS = "revops.dlx";

    private Exchanges() {
    }
}
