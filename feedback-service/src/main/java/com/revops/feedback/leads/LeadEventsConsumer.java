package com.revops.feedback.leads;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.inbox.IdempotentConsumer;

import io.smallrye.mutiny.Uni;

/** Keeps the lead context current from the gateway's lead events (queue {@code feedback.crm-events}). */
@ApplicationScoped
public class LeadEventsConsumer {

    private final IdempotentConsumer inbox;
    private final EventCodec codec;
    private final LeadContextRepository contexts;

    public LeadEventsConsumer(IdempotentConsumer inbox, EventCodec codec, LeadContextRepository contexts) {
        this.inbox = inbox;
        this.codec = codec;
        this.contexts = contexts;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        return inbox.consume("feedback.crm-events", message, this::apply);
    }

    /** Routing events (who got the lead, by which rule) join the context as the capture feature arrives. */
    @Incoming("routing-events")
    public Uni<Void> onRoutingEvent(Message<?> message) {
        return inbox.consume("feedback.routing-events", message, e -> Uni.createFrom().voidItem());
    }

    Uni<Void> apply(EventEnvelope event) {
        if (!"lead.created".equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        LeadCreated lead = codec.dataAs(event, LeadCreated.class);
        if (lead.leadId() == null || lead.crm() == null || lead.crmId() == null) {
            throw new MalformedEventException("lead.created without leadId, crm or crmId");
        }
        return contexts.findById(lead.leadId()).chain(existing -> {
            LeadContext c = existing != null ? existing : new LeadContext();
            c.leadId = lead.leadId();
            c.crm = lead.crm();
            c.crmId = lead.crmId();
            c.email = lead.email() == null ? null : lead.email().trim().toLowerCase();
            c.company = lead.company();
            c.country = lead.country();
            c.companySize = lead.companySize();
            c.industry = lead.industry();
            c.source = lead.source();
            c.channel = lead.channel();
            c.campaign = lead.campaign();
            c.intentTier = lead.intentTier();
            c.crmCreatedAt = lead.createdAt();
            c.updatedAt = Instant.now();
            return existing != null ? Uni.createFrom().voidItem() : contexts.persist(c).replaceWithVoid();
        });
    }
}
