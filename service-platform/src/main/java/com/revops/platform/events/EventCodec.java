package com.revops.platform.events;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Reads and writes {@link EventEnvelope}s with the application's Jackson configuration. */
@ApplicationScoped
public class EventCodec {

    private final ObjectMapper mapper;

    public EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public String encode(EventEnvelope envelope) {
        try {
            return mapper.writeValueAsString(envelope);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be serialised: " + envelope.type(), e);
        }
    }

    public JsonNode toTree(Object data) {
        return mapper.valueToTree(data);
    }

    /** Parses a raw message body; anything that is not a complete envelope is a {@link MalformedEventException}. */
    public EventEnvelope decode(byte[] body) {
        if (body == null || body.length == 0) {
            throw new MalformedEventException("empty message body");
        }
        try {
            EventEnvelope envelope = mapper.readValue(body, EventEnvelope.class);
            if (envelope.data() == null || envelope.data().isNull()) {
                throw new MalformedEventException("event " + envelope.id() + " has no data");
            }
            return envelope;
        } catch (MalformedEventException e) {
            throw e;
        } catch (Exception e) {
            String head = new String(body, 0, Math.min(body.length, 80), StandardCharsets.UTF_8);
            throw new MalformedEventException("not an event envelope: " + head, e);
        }
    }

    public <T> T dataAs(EventEnvelope envelope, Class<T> type) {
        try {
            return mapper.treeToValue(envelope.data(), type);
        } catch (Exception e) {
            throw new MalformedEventException("data of " + envelope.type() + " " + envelope.id()
                    + " does not match its schema: " + e.getMessage(), e);
        }
    }
}
