package com.revops.gateway.webhooks;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.normalise.ActivityDeriver;

/** Turns the body of a HubSpot webhook delivery (a JSON array of events) into {@link IncomingEvent}s. Plain Java. */
public final class HubSpotWebhookParser {

    /** The subscription types the normaliser understands; others are stored and marked ignored. */
    public static final Set<String> KNOWN_TYPES = Set.of(
            "contact.creation", "contact.propertyChange", "contact.deletion", "contact.merge",
            "contact.associationChange", "contact.restore", "contact.privacyDeletion",
            "company.creation", "company.propertyChange", "company.deletion", "company.merge",
            "company.associationChange",
            "deal.creation", "deal.propertyChange", "deal.deletion", "deal.merge", "deal.associationChange");

    /**
     * Generic subscriptions ({@code object.creation}, {@code object.propertyChange}, {@code object.deletion}) name
     * their object by {@code objectTypeId}; those of calls, emails, meetings and tasks are normalised, others are
     * stored as ignored.
     */
    public static final Set<String> GENERIC_TYPES = Set.of("object.creation", "object.propertyChange",
            "object.deletion", "object.restore");

    /** Why a body was refused. */
    public static final class Rejected extends Exception {
        private final int status;

        Rejected(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final ObjectMapper mapper;
    private final int maxEvents;

    public HubSpotWebhookParser(ObjectMapper mapper, int maxEvents) {
        this.mapper = mapper;
        this.maxEvents = maxEvents;
    }

    public List<IncomingEvent> parse(byte[] body) throws Rejected {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException e) {
            throw new Rejected(400, "the body is not valid JSON");
        }
        if (root == null || !root.isArray()) {
            throw new Rejected(400, "a HubSpot webhook body is a JSON array of events");
        }
        if (root.size() > maxEvents) {
            throw new Rejected(413, "at most " + maxEvents + " events per delivery, got " + root.size());
        }
        List<IncomingEvent> events = new ArrayList<>(root.size());
        for (int i = 0; i < root.size(); i++) {
            JsonNode e = root.get(i);
            if (!e.isObject()) {
                throw new Rejected(400, "event " + i + " is not an object");
            }
            String eventId = required(e, "eventId", i);
            String subscriptionId = required(e, "subscriptionId", i);
            String portalId = required(e, "portalId", i);
            String occurredAt = required(e, "occurredAt", i);
            String type = required(e, "subscriptionType", i);
            long occurredMillis;
            try {
                occurredMillis = Long.parseLong(occurredAt);
            } catch (NumberFormatException ex) {
                throw new Rejected(400, "event " + i + ": occurredAt must be epoch milliseconds");
            }
            String objectId = text(e, "objectId");
            int dot = type.indexOf('.');
            String objectType = dot > 0 ? type.substring(0, dot) : null;
            boolean known = KNOWN_TYPES.contains(type);
            if ("object".equals(objectType)) {
                // generic subscription: the object type is in objectTypeId (0-48 calls, 0-27 tasks, ...)
                String engagement = ActivityDeriver.HUBSPOT_TYPE_IDS.get(text(e, "objectTypeId"));
                objectType = engagement != null ? engagement : text(e, "objectTypeId");
                known = engagement != null && GENERIC_TYPES.contains(type);
            }
            Integer attempt = e.hasNonNull("attemptNumber") ? e.get("attemptNumber").asInt() : null;
            events.add(new IncomingEvent("hubspot",
                    portalId + ":" + subscriptionId + ":" + eventId + ":" + occurredAt,
                    portalId, type, objectType, objectId, Instant.ofEpochMilli(occurredMillis), attempt,
                    e.toString(), known));
        }
        return events;
    }

    private static String required(JsonNode e, String field, int index) throws Rejected {
        String v = text(e, field);
        if (v == null || v.isBlank()) {
            throw new Rejected(400, "event " + index + " has no " + field);
        }
        return v;
    }

    private static String text(JsonNode e, String field) {
        JsonNode v = e.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
