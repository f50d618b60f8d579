package com.revops.feedback.leads;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import com.revops.feedback.disqualification.CaptureService;
import com.revops.feedback.leads.LeadEvents.ActivityLogged;
import com.revops.feedback.leads.LeadEvents.Change;
import com.revops.feedback.leads.LeadEvents.FirstTouched;
import com.revops.feedback.leads.LeadEvents.OwnerChanged;
import com.revops.feedback.leads.LeadEvents.Routed;
import com.revops.feedback.leads.LeadEvents.StatusChanged;
import com.revops.feedback.leads.LeadEvents.Updated;
import com.revops.platform.events.EventCodec;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.MalformedEventException;
import com.revops.platform.inbox.IdempotentConsumer;

import io.smallrye.mutiny.Uni;

/**
 * Keeps the lead context current from the gateway's lead and activity events (queue {@code feedback.crm-events})
 * and lead-routing's events (queue {@code feedback.routing-events}), and hands status changes to the capture.
 */
@ApplicationScoped
public class LeadEventsConsumer {

    private final IdempotentConsumer inbox;
    private final EventCodec codec;
    private final LeadContextRepository contexts;
    private final CaptureService capture;
    private final com.revops.feedback.disqualification.CrmRecordService crmRecords;

    public LeadEventsConsumer(IdempotentConsumer inbox, EventCodec codec, LeadContextRepository contexts,
            CaptureService capture, com.revops.feedback.disqualification.CrmRecordService crmRecords) {
        this.crmRecords = crmRecords;
        this.inbox = inbox;
        this.codec = codec;
        this.contexts = contexts;
        this.capture = capture;
    }

    @Incoming("crm-events")
    public Uni<Void> onMessage(Message<?> message) {
        return inbox.consume("feedback.crm-events", message, this::apply);
    }

    @Incoming("routing-events")
    public Uni<Void> onRoutingEvent(Message<?> message) {
        return inbox.consume("feedback.routing-events", message, this::applyRouting);
    }

    Uni<Void> apply(EventEnvelope event) {
        return switch (event.type()) {
            case "lead.created" -> created(codec.dataAs(event, LeadCreated.class));
            case "lead.updated" -> updated(codec.dataAs(event, Updated.class));
            case "lead.owner-changed" -> ownerChanged(codec.dataAs(event, OwnerChanged.class));
            case "lead.status-changed" -> {
                StatusChanged e = codec.dataAs(event, StatusChanged.class);
                if (e.leadId() == null || e.crm() == null || e.crmId() == null) {
                    throw new MalformedEventException("lead.status-changed without leadId, crm or crmId");
                }
                yield capture.onStatusChanged(e, event.time());
            }
            case "activity.logged" -> activity(codec.dataAs(event, ActivityLogged.class));
            case "contact.deleted" -> {
                LeadEvents.ContactDeleted d = codec.dataAs(event, LeadEvents.ContactDeleted.class);
                yield crmRecords.onDeleted(d.crm(), d.crmId(), d.leadId());
            }
            case "contact.merged" -> {
                LeadEvents.ContactMerged m = codec.dataAs(event, LeadEvents.ContactMerged.class);
                // HubSpot's primary record survives unless the merge names a new one
                String survivor = m.newCrmId() != null ? m.newCrmId() : m.primaryCrmId();
                List<String> absorbed = new java.util.ArrayList<>();
                if (m.mergedCrmIds() != null) {
                    absorbed.addAll(m.mergedCrmIds());
                }
                if (m.primaryCrmId() != null && !m.primaryCrmId().equals(survivor)) {
                    absorbed.add(m.primaryCrmId());
                }
                yield crmRecords.onMerged(m.crm(), m.leadId(), survivor, absorbed);
            }
            default -> Uni.createFrom().voidItem();
        };
    }

    Uni<Void> applyRouting(EventEnvelope event) {
        return switch (event.type()) {
            case "lead.routed" -> {
                Routed r = codec.dataAs(event, Routed.class);
                if (r.leadId() == null) {
                    throw new MalformedEventException("lead.routed without leadId");
                }
                yield upsert(r.leadId(), c -> {
                    if (c.crm == null) {
                        c.crm = r.crm();
                        c.crmId = r.crmId();
                    }
                    Instant routedAt = r.routedAt() != null ? r.routedAt() : event.time();
                    // deliveries can be out of order: a later routing decision is never overwritten by an older one
                    if (c.routedAt == null || routedAt == null || !routedAt.isBefore(c.routedAt)) {
                        c.ownerUsername = r.ownerUsername();
                        if (r.ownerCrmId() != null) {
                            c.ownerCrmId = r.ownerCrmId();
                        }
                        c.teamId = r.teamId();
                        c.teamName = r.teamName();
                        c.routingRule = r.ruleName();
                        c.ruleSetVersion = r.ruleSetVersion();
                        c.routedAt = routedAt;
                    }
                });
            }
            case "lead.first-touched" -> {
                FirstTouched t = codec.dataAs(event, FirstTouched.class);
                if (t.leadId() == null || t.touchedAt() == null) {
                    throw new MalformedEventException("lead.first-touched without leadId or touchedAt");
                }
                yield upsert(t.leadId(), c -> {
                    if (c.firstTouchedAt == null || t.touchedAt().isBefore(c.firstTouchedAt)) {
                        c.firstTouchedAt = t.touchedAt();
                        c.ttftSeconds = t.ttftSeconds();
                    }
                });
            }
            default -> Uni.createFrom().voidItem();
        };
    }

    private Uni<Void> created(LeadCreated lead) {
        if (lead.leadId() == null || lead.crm() == null || lead.crmId() == null) {
            throw new MalformedEventException("lead.created without leadId, crm or crmId");
        }
        return upsert(lead.leadId(), c -> {
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
            c.form = lead.form();
            c.seniority = lead.seniority();
            if (lead.status() != null) {
                c.crmStatus = lead.status();
            }
            if (lead.owner() != null && c.ownerCrmId == null) {
                c.ownerCrmId = lead.owner();
            }
            c.crmCreatedAt = lead.createdAt();
        });
    }

    private Uni<Void> updated(Updated u) {
        if (u.leadId() == null || u.changes() == null) {
            return Uni.createFrom().voidItem();
        }
        return contexts.findForUpdate(u.leadId()).chain(c -> {
            if (c == null) {
                return Uni.createFrom().voidItem();
            }
            for (Map.Entry<String, Change> e : u.changes().entrySet()) {
                String to = e.getValue() == null ? null : e.getValue().to();
                switch (e.getKey()) {
                    case "email" -> c.email = to == null ? null : to.trim().toLowerCase();
                    case "company" -> c.company = to;
                    case "country" -> c.country = to;
                    case "companySize" -> c.companySize = to;
                    case "industry" -> c.industry = to;
                    case "source" -> c.source = to;
                    case "channel" -> c.channel = to;
                    case "campaign" -> c.campaign = to;
                    case "intentTier" -> c.intentTier = to;
                    case "form" -> c.form = to;
                    case "seniority" -> c.seniority = to;
                    default -> {
                        // other fields do not shape feedback
                    }
                }
            }
            c.updatedAt = Instant.now();
            return Uni.createFrom().voidItem();
        });
    }

    private Uni<Void> ownerChanged(OwnerChanged o) {
        if (o.leadId() == null) {
            return Uni.createFrom().voidItem();
        }
        return contexts.findForUpdate(o.leadId()).chain(c -> {
            if (c != null) {
                c.ownerCrmId = o.toOwner();
                c.updatedAt = Instant.now();
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** An outbound call, email or meeting is a contact attempt, whether or not routing saw a first touch. */
    private Uni<Void> activity(ActivityLogged a) {
        if (a.occurredAt() == null || !"outbound".equalsIgnoreCase(a.direction())
                || !("call".equals(a.type()) || "email".equals(a.type()) || "meeting".equals(a.type()))) {
            return Uni.createFrom().voidItem();
        }
        Uni<LeadContext> lead = a.leadId() != null ? contexts.findForUpdate(a.leadId())
                : a.crm() != null && a.crmPersonId() != null ? contexts.findByCrmId(a.crm(), a.crmPersonId())
                : Uni.createFrom().nullItem();
        return lead.chain(c -> {
            if (c == null) {
                return a.leadId() == null ? Uni.createFrom().voidItem()
                        : upsert(a.leadId(), fresh -> fresh.contactAttemptedAt = a.occurredAt());
            }
            if (c.contactAttemptedAt == null || a.occurredAt().isBefore(c.contactAttemptedAt)) {
                c.contactAttemptedAt = a.occurredAt();
                c.updatedAt = Instant.now();
            }
            return Uni.createFrom().voidItem();
        });
    }

    /** Changes the lead's context, creating it when this is the first event about the lead. */
    private Uni<Void> upsert(UUID leadId, Consumer<LeadContext> change) {
        return contexts.ensureForUpdate(leadId).chain(c -> {
            change.accept(c);
            c.updatedAt = Instant.now();
            return Uni.createFrom().voidItem();
        });
    }
}
