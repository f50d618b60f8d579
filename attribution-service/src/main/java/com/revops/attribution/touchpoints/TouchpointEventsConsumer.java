package com.revops.attribution.touchpoints;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.attribution.deals.DealChanged;
import com.revops.attribution.deals.DealIntakeService;
import com.revops.attribution.deals.LeadEvents;
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
    private final DealIntakeService deals;

    public TouchpointEventsConsumer(IdempotentConsumer inbox, EventCodec codec, TouchpointRepository touchpoints,
            DealIntakeService deals) {
        this.inbox = inbox;
        this.codec = codec;
        this.touchpoints = touchpoints;
        this.deals = deals;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        return inbox.consume(CONSUMER, message, this::apply);
    }

    Uni<Void> apply(EventEnvelope event) {
        switch (event.type()) {
            case "deal.changed":
                return deals.apply(codec.dataAs(event, DealChanged.class), event.time());
            case "lead.created":
                return deals.leadCreated(codec.dataAs(event, LeadEvents.LeadCreated.class));
            case "touchpoint.recorded":
                break;
            default:
                // activity.*, the other lead.* and contact.* events carry nothing attribution uses today
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
            if (t.leadId() != null) {
                row.leadId = t.leadId();
            }
            row.accountDomain = t.accountDomain();
            row.occurredAt = t.occurredAt();
            row.touchType = t.type();
            row.channel = t.channel();
            row.source = t.source();
            row.campaign = t.campaign();
            row.team = t.team();
            row.recordedAt = Instant.now();
            Uni<Void> stored = existing != null ? touchpoints.flush()
                    : touchpoints.persistAndFlush(row).replaceWithVoid();
            // the gateway names the person when it knows them; otherwise the email links the touch to a lead
            return stored.chain(() -> t.leadId() != null ? deals.touchOfLead(t.leadId(), row.accountDomain)
                    : deals.touchRecorded(row.id, row.personEmail, row.accountDomain));
        });
    }

    /** Routing events: {@code lead.first-touched} feeds TTFT by channel; the others are not used. */
    @Incoming("routing-events")
    public Uni<Void> onRoutingEvent(Message<?> message) {
        return inbox.consume("attribution.routing-events", message, e -> "lead.first-touched".equals(e.type())
                ? deals.firstTouched(codec.dataAs(e, LeadEvents.LeadFirstTouched.class))
                : Uni.createFrom().voidItem());
    }

    @Incoming("feedback-events")
    public Uni<Void> onFeedbackEvent(Message<?> message) {
        return inbox.consume("attribution.feedback-events", message, e -> Uni.createFrom().voidItem());
    }
}
