package com.revops.platform.events;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * The one envelope every message on the backbone travels in. Attribute names follow CloudEvents 1.0 (structured
 * JSON mode) so that any CloudEvents-aware tool can read our messages.
 *
 * @param specversion     always {@code 1.0}
 * @param id              unique per event; consumers deduplicate on it
 * @param type            the event type, e.g. {@code lead.created}; also the AMQP routing key
 * @param source          the producing service, e.g. {@code /gateway}
 * @param time            when the fact happened (not when it was published)
 * @param subject         the aggregate the event is about, e.g. {@code lead/7f0c...}; used for per-object ordering
 * @param dataschema      the schema and version of {@code data}, e.g. {@code urn:revops:schema:lead.created:1}
 * @param datacontenttype always {@code application/json}
 * @param data            the payload
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EventEnvelope(
        String specversion,
        String id,
        String type,
        String source,
        Instant time,
        String subject,
        String dataschema,
        String datacontenttype,
        JsonNode data) {

    public static final String SPEC_VERSION = "1.0";
    public static final String JSON = "application/json";

    public EventEnvelope {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(source, "source");
    }

    /** A new envelope with a random id, stamped now. */
    public static EventEnvelope create(String type, int schemaVersion, String source, String subject, JsonNode data) {
        return new EventEnvelope(SPEC_VERSION, UUID.randomUUID().toString(), type, source, Instant.now(), subject,
                schemaUrn(type, schemaVersion), JSON, data);
    }

    public static String schemaUrn(String type, int version) {
        return "urn:revops:schema:" + type + ":" + version;
    }

    /** The schema version carried in {@link #dataschema()}, or 1 when absent. */
    public int schemaVersion() {
        if (dataschema == null) {
            return 1;
        }
        int colon = dataschema.lastIndexOf(':');
        try {
            return Integer.parseInt(dataschema.substring(colon + 1));
        } catch (NumberFormatException e) {
            return 1;
        }
    }
}
