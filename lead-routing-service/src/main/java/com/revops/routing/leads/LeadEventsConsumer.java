package com.revops.routing.leads;

import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.inbox.IdempotentConsumer;
import com.revops.routing.RoutingConfig;
import com.revops.routing.assignment.RoutingService;
import com.revops.routing.sla.SlaService;
import com.revops.routing.teams.SalesRep;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Consumes the gateway's canonical CRM events that concern routing (queue {@code lead-routing.crm-events}) and
 * feedback's requalifications (queue {@code lead-routing.feedback-events}). Each message is applied once, in one
 * transaction with everything it causes (decision, timers, outbox rows).
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

    public LeadEventsConsumer(IdempotentConsumer inbox, EventCodec codec, LeadIntakeService intake,
            RoutingService routing, SlaService sla, RoutingConfig config) {
        this.inbox = inbox;
        this.codec = codec;
        this.intake = intake;
        this.routing = routing;
        this.sla = sla;
        this.config = config;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        return inbox.consume(CONSUMER, message, this::apply);
    }

    @Incoming("feedback-events")
    public Uni<Void> onFeedback(Message<?> message) {
        return inbox.consume(FEEDBACK_CONSUMER, message, this::applyFeedback);
    }

    Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            case "lead.created" -> intake.register(codec.dataAs(event, LeadCreated.class))
                    .chain(lead -> RoutingService.lockLead(lead.id))
                    .chain(routing::routeNew).replaceWithVoid();
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
