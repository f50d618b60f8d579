package com.revops.attribution.touchpoints;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.inbox.IdempotentConsumer;

import io.smallrye.mutiny.Uni;

/** Consumes the gateway's canonical CRM events that attribution needs (queue {@code attribution.crm-events}). */
@ApplicationScoped
public class TouchpointEventsConsumer {

    static final String CONSUMER = "attribution.crm-events";

    private final IdempotentConsumer inbox;
    private final EventCodec codec;
    private final TouchpointRepository touchpoints;

    public TouchpointEventsConsumer(IdempotentConsumer inbox, EventCodec codec, TouchpointRepository touchpoints) {
        this.inbox = inbox;
        this.codec = codec;
        this.touchpoints = touchpoints;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        return inbox.consume(CONSUMER, message, this::apply);
    }

    Uni<Void> apply(EventEnvelope event) {
        if (!"touchpoint.recorded".equals(event.type())) {
            // deals, activities and lead events feed the attribution and revenue-model features as they arrive
            return Uni.createFrom().voidItem();
        }
        TouchpointRecorded t = codec.dataAs(event, TouchpointRecorded.class);
        if (t.touchpointId() == null || t.occurredAt() == null || t.type() == null || t.crm() == null) {
            throw new MalformedEventException("touchpoint.recorded needs touchpointId, crm, occurredAt and type");
        }
        return touchpoints.findById(t.touchpointId()).chain(existing -> {
            Touchpoint row = existing != null ? existing : new Touchpoint();
            row.id = t.touchpointId();
            row.crm = t.crm();
            row.personEmail = t.personEmail() == null ? null : t.personEmail().trim().toLowerCase();
            row.crmPersonId = t.crmPersonId();
            row.accountDomain = t.accountDomain();
            row.occurredAt = t.occurredAt();
            row.touchType = t.type();
            row.channel = t.channel();
            row.source = t.source();
            row.campaign = t.campaign();
            row.team = t.team();
            row.recordedAt = Instant.now();
            return existing != null ? Uni.createFrom().voidItem() : touchpoints.persist(row).replaceWithVoid();
        });
    }

    /** Also listens to routing and feedback events; they feed TTFT-by-channel and disqualification joins. */
    @Incoming("routing-events")
    public Uni<Void> onRoutingEvent(Message<?> message) {
        return inbox.consume("attribution.routing-events", message, e -> Uni.createFrom().voidItem());
    }

    @Incoming("feedback-events")
    public Uni<Void> onFeedbackEvent(Message<?> message) {
        return inbox.consume("attribution.feedback-events", message, e -> Uni.createFrom().voidItem());
    }
}
