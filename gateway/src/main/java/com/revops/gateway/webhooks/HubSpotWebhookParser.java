package com.revops.gateway.webhooks;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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

    /**
     * Reads the delivery in one streaming pass, without building a tree: each event's fields are read, nested values
     * skipped. The events' payloads are not copied: {@link IncomingEvent#payloadJson()} is null, meaning "element i
     * of the delivery body", which {@link WebhookStore} has PostgreSQL take from the body itself. Errors keep their
     * precedence: malformed JSON anywhere 400, then more than {@code maxEvents} events 413, then a bad event 400.
     */
    public List<IncomingEvent> parse(byte[] body) throws Rejected {
        List<IncomingEvent> events = new ArrayList<>();
        Rejected firstBadEvent = null;
        int count = 0;
        try (JsonParser p = mapper.getFactory().createParser(body)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new Rejected(400, "a HubSpot webhook body is a JSON array of events");
            }
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new Rejected(400, "the body is not valid JSON");
                }
                int index = count++;
                if (t != JsonToken.START_OBJECT) {
                    p.skipChildren();
                    if (firstBadEvent == null) {
                        firstBadEvent = new Rejected(400, "event " + index + " is not an object");
                    }
                    continue;
                }
                Fields f = readEvent(p);
                if (firstBadEvent == null && count <= maxEvents) {
                    try {
                        events.add(toEvent(f, index));
                    } catch (Rejected e) {
                        firstBadEvent = e;
                    }
                }
            }
            if (p.nextToken() != null) {
                throw new Rejected(400, "the body is not valid JSON: content after the array");
            }
        } catch (IOException e) {
            throw new Rejected(400, "the body is not valid JSON");
        }
        if (count > maxEvents) {
            throw new Rejected(413, "at most " + maxEvents + " events per delivery, got " + count);
        }
        if (firstBadEvent != null) {
            throw firstBadEvent;
        }
        return events;
    }

    /** The fields of one event we use; a later duplicate key wins, as in the stored jsonb. */
    private static final class Fields {
        String eventId;
        String subscriptionId;
        String portalId;
        String occurredAt;
        String subscriptionType;
        String objectId;
        String objectTypeId;
        Integer attemptNumber;
    }

    /** Reads one event object (the parser is on its START_OBJECT) up to its END_OBJECT. */
    private static Fields readEvent(JsonParser p) throws IOException {
        Fields f = new Fields();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "eventId" -> f.eventId = scalar(p, v);
                case "subscriptionId" -> f.subscriptionId = scalar(p, v);
                case "portalId" -> f.portalId = scalar(p, v);
                case "occurredAt" -> f.occurredAt = scalar(p, v);
                case "subscriptionType" -> f.subscriptionType = scalar(p, v);
                case "objectId" -> f.objectId = scalar(p, v);
                case "objectTypeId" -> f.objectTypeId = scalar(p, v);
                case "attemptNumber" -> f.attemptNumber = v == JsonToken.VALUE_NULL ? null
                        : v.isScalarValue() ? Integer.valueOf(p.getValueAsInt(0)) : skipped(p, 0);
                default -> p.skipChildren();
            }
        }
        return f;
    }

    /** A scalar as text, like JsonNode.asText(): null for null, "" for an object or array (then skipped). */
    private static String scalar(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!v.isScalarValue()) {
            return skipped(p, "");
        }
        return p.getText();
    }

    private static <T> T skipped(JsonParser p, T value) throws IOException {
        p.skipChildren();
        return value;
    }

    private static IncomingEvent toEvent(Fields e, int i) throws Rejected {
        String eventId = required(e.eventId, "eventId", i);
        String subscriptionId = required(e.subscriptionId, "subscriptionId", i);
        String portalId = required(e.portalId, "portalId", i);
        String occurredAt = required(e.occurredAt, "occurredAt", i);
        String type = required(e.subscriptionType, "subscriptionType", i);
        long occurredMillis;
        try {
            occurredMillis = Long.parseLong(occurredAt);
        } catch (NumberFormatException ex) {
            throw new Rejected(400, "event " + i + ": occurredAt must be epoch milliseconds");
        }
        int dot = type.indexOf('.');
        String objectType = dot > 0 ? type.substring(0, dot) : null;
        boolean known = KNOWN_TYPES.contains(type);
        if ("object".equals(objectType)) {
            // generic subscription: the object type is in objectTypeId (0-48 calls, 0-27 tasks, ...)
            String engagement = ActivityDeriver.HUBSPOT_TYPE_IDS.get(e.objectTypeId);
            objectType = engagement != null ? engagement : e.objectTypeId;
            known = engagement != null && GENERIC_TYPES.contains(type);
        }
        return new IncomingEvent("hubspot", portalId + ":" + subscriptionId + ":" + eventId + ":" + occurredAt,
                portalId, type, objectType, e.objectId, Instant.ofEpochMilli(occurredMillis), e.attemptNumber,
                null, known);
    }

    private static String required(String v, String field, int index) throws Rejected {
        if (v == null || v.isBlank()) {
            throw new Rejected(400, "event " + index + " has no " + field);
        }
        return v;
    }
}
