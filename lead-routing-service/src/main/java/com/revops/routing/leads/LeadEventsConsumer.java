package com.revops.routing.leads;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.inbox.IdempotentConsumer;

import io.smallrye.mutiny.Uni;

/** Consumes the gateway's canonical CRM events that concern routing (queue {@code lead-routing.crm-events}). */
@ApplicationScoped
public class LeadEventsConsumer {

    static final String CONSUMER = "lead-routing.crm-events";

    private final IdempotentConsumer inbox;
    private final EventCodec codec;
    private final LeadIntakeService intake;

    public LeadEventsConsumer(IdempotentConsumer inbox, EventCodec codec, LeadIntakeService intake) {
        this.inbox = inbox;
        this.codec = codec;
        this.intake = intake;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        return inbox.consume(CONSUMER, message, this::apply);
    }

    Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            case "lead.created" -> intake.register(codec.dataAs(event, LeadCreated.class)).replaceWithVoid();
            // other lead and activity events are handled by the routing and SLA features as they arrive
            default -> Uni.createFrom().voidItem();
        };
    }
}
