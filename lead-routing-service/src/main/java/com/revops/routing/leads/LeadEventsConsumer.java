package com.revops.routing.leads;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.inbox.IdempotentConsumer;
import com.revops.platform.inbox.KeyedSequencer;
import com.revops.routing.RoutingConfig;
import com.revops.routing.assignment.NewLeadRouter;
import com.revops.routing.assignment.RoutingService;
import com.revops.routing.sla.SlaService;
import com.revops.routing.teams.SalesRep;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Consumes the gateway's canonical CRM events that concern routing (queue {@code lead-routing.crm-events}) and
 * feedback's requalifications (queue {@code lead-routing.feedback-events}). Each message is applied once, in one
 * transaction with everything it causes (decision, timers, outbox rows). A {@code lead.created} only stores the lead
 * as NEW: the {@link NewLeadRouter} routes new leads in batches, which keeps this consumer's transaction short enough
 * for hundreds of leads a second.
 */
@ApplicationScoped
public class LeadEventsConsumer {

    static final String CONSUMER = "lead-routing.crm-events";
    static final String FEEDBACK_CONSUMER = "lead-routing.feedback-events";

    private final IdempotentConsumer inbox;
    private final EventCodec codec;
    private final LeadIntakeService intake;
    private final RoutingService routing;
    private final SlaService sla;
    private final RoutingConfig config;
    private final NewLeadRouter newLeads;
    private final KeyedSequencer sequencer = new KeyedSequencer();

    public LeadEventsConsumer(IdempotentConsumer inbox, EventCodec codec, LeadIntakeService intake,
            RoutingService routing, SlaService sla, RoutingConfig config, NewLeadRouter newLeads) {
        this.inbox = inbox;
        this.codec = codec;
        this.intake = intake;
        this.routing = routing;
        this.sla = sla;
        this.config = config;
        this.newLeads = newLeads;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        // events about one person stay in order, different people are applied concurrently; a new lead is routed
        // by the new-lead router, woken once its intake has committed
        return inbox.consumeOrderedByKey(CONSUMER, message, sequencer, LeadEventsConsumer::personKey, this::apply,
                newLeads::wakeUp);
    }

    /**
     * The person an event is about, as its CRM record: a lead's creation, its owner changes and the activities
     * logged on it share this key, so a touch is never applied before the lead it touches is stored.
     */
    static String personKey(EventEnvelope event) {
        JsonNode d = event.data();
        if (d == null) {
            return null;
        }
        String crm = d.path("crm").asText("");
        String record = "activity.logged".equals(event.type()) ? d.path("crmPersonId").asText("")
                : d.path("crmId").asText("");
        if (!crm.isEmpty() && !record.isEmpty()) {
            return crm + ":" + record;
        }
        String lead = d.path("leadId").asText("");
        return lead.isEmpty() ? event.id() : "lead:" + lead;
    }

    @Incoming("feedback-events")
    public Uni<Void> onFeedback(Message<?> message) {
        return inbox.consume(FEEDBACK_CONSUMER, message, this::applyFeedback);
    }

    Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            case "lead.created" -> intake.register(codec.dataAs(event, LeadCreated.class));
            case "activity.logged" -> firstTouch(codec.dataAs(event, ActivityLogged.class));
            case "lead.owner-changed" -> ownerChanged(codec.dataAs(event, LeadOwnerChanged.class));
            default -> Uni.createFrom().voidItem();
        };
    }

    Uni<Void> applyFeedback(EventEnvelope event) {
        if (!"lead.requalified".equals(event.type())) {
            return Uni.createFrom().voidItem();
        }
        LeadRequalified r = codec.dataAs(event, LeadRequalified.class);
        if (r.leadId() == null) {
            throw new MalformedEventException("lead.requalified without leadId");
        }
        return RoutingService.lockLead(r.leadId()).chain(lead -> {
            if (lead == null) {
                Log.warnf("lead.requalified for unknown lead %s ignored", r.leadId());
                return Uni.createFrom().voidItem();
            }
            return routing.reroute(lead, RoutingService.TRIGGER_REQUALIFIED, r.by(), "requalified after dispute "
                    + r.disputeId()).replaceWithVoid();
        });
    }

    /** An owner set in the CRM by a person: follow it when the new owner is one of our reps. */
    private Uni<Void> ownerChanged(LeadOwnerChanged c) {
        if (c.crm() == null || (c.leadId() == null && c.crmId() == null)) {
            throw new MalformedEventException("lead.owner-changed without crm and leadId or crmId");
        }
        if (c.toOwner() == null || c.toOwner().isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return lockedLead(c.leadId(), c.crm(), c.crmId()).chain(l -> {
            if (l == null) {
                return Uni.createFrom().voidItem();
            }
            return repByCrmOwner(c.crm(), c.toOwner())
                    .chain(rep -> {
                        if (rep == null) {
                            // an owner outside the routing model (an AE, an integration user): routing keeps its
                            // view and its clock; the owner id is logged so an admin can map it to a rep
                            Log.infof("lead %s: %s owner %s is not a configured rep; not followed", l.id, c.crm(),
                                    c.toOwner());
                            return Uni.createFrom().voidItem();
                        }
                        return routing.followCrmOwner(l, rep.username).replaceWithVoid();
                    });
        });
    }

    private Uni<Void> firstTouch(ActivityLogged a) {
        if (a.type() == null || a.occurredAt() == null || a.ownerId() == null || a.crm() == null) {
            throw new MalformedEventException("activity.logged without type, occurredAt, ownerId or crm");
        }
        String type = a.type().toLowerCase(Locale.ROOT);
        if (!config.firstTouchActivityTypes().contains(type)) {
            return Uni.createFrom().voidItem();
        }
        // an email the person sent us is not a touch by the rep
        if ("inbound".equalsIgnoreCase(a.direction()) && "email".equals(type)) {
            return Uni.createFrom().voidItem();
        }
        return lockedLead(a.leadId(), a.crm(), a.crmPersonId()).chain(l -> {
            if (l == null) {
                return Uni.createFrom().voidItem();
            }
            return repByCrmOwner(a.crm(), a.ownerId()).chain(rep -> rep == null ? Uni.createFrom().voidItem()
                    : Panache.getSession().chain(s -> sla.firstTouch(s, l, rep.username, a.occurredAt(), "activity",
                            type)).replaceWithVoid());
        });
    }

    /** The lead by our id or, failing that, by its CRM key; locked for this transaction. Null when unknown. */
    private static Uni<Lead> lockedLead(java.util.UUID leadId, String crm, String crmId) {
        if (leadId != null) {
            return RoutingService.lockLead(leadId);
        }
        return Panache.getSession().chain(s -> s.createSelectionQuery("from Lead where crm = :c and crmId = :id",
                Lead.class).setParameter("c", crm).setParameter("id", crmId == null ? "" : crmId)
                .getSingleResultOrNull())
                .chain(l -> l == null ? Uni.createFrom().nullItem() : RoutingService.lockLead(l.id));
    }

    /** The rep who is {@code ownerId} in {@code crm}, or null. */
    private static Uni<SalesRep> repByCrmOwner(String crm, String ownerId) {
        String column = "salesforce".equals(crm) ? "salesforceOwnerId" : "hubspotOwnerId";
        return Panache.getSession().chain(s -> s.createSelectionQuery("from SalesRep where " + column + " = :o",
                SalesRep.class).setParameter("o", ownerId).getSingleResultOrNull());
    }
}
