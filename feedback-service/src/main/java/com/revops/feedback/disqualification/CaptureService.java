package com.revops.feedback.disqualification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.commands.CrmCommands;
import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.events.FeedbackEvents;
import com.revops.feedback.leads.LeadContext;
import com.revops.feedback.leads.LeadContextRepository;
import com.revops.feedback.leads.LeadEvents.StatusChanged;
import com.revops.feedback.loop.FeedbackTimer;
import com.revops.feedback.loop.TimerRepository;
import com.revops.feedback.recycling.RecyclingPolicy;
import com.revops.feedback.taxonomy.ReasonCode;
import com.revops.feedback.taxonomy.TaxonomyRepository;
import com.revops.feedback.web.Caller;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Captures disqualifications (from the gateway's status events and from sales tools over REST), joins their
 * context, starts the missing-reason loop when there is no usable reason, and plans recycling once there is one.
 */
@ApplicationScoped
public class CaptureService {

    static final List<String> LOOP_TIMERS = List.of(FeedbackTimer.REASON_REMINDER, FeedbackTimer.MANAGER_ESCALATION);

    private final DisqualificationRepository disqualifications;
    private final LeadContextRepository contexts;
    private final TaxonomyRepository taxonomy;
    private final TimerRepository timers;
    private final FeedbackEvents events;
    private final CrmCommands commands;
    private final FeedbackConfig config;
    private final MeterRegistry registry;
    private final Timer timeToReason;
    private final com.revops.feedback.insights.InsightsService insights;

    public CaptureService(DisqualificationRepository disqualifications, LeadContextRepository contexts,
            TaxonomyRepository taxonomy, TimerRepository timers, FeedbackEvents events, CrmCommands commands,
            FeedbackConfig config, MeterRegistry registry, com.revops.feedback.insights.InsightsService insights) {
        this.insights = insights;
        this.disqualifications = disqualifications;
        this.contexts = contexts;
        this.taxonomy = taxonomy;
        this.timers = timers;
        this.events = events;
        this.commands = commands;
        this.config = config;
        this.registry = registry;
        this.timeToReason = Timer.builder("feedback.loop.time_to_reason")
                .description("disqualification -> reason, for reasons that were missing at capture")
                .publishPercentiles(0.5, 0.9).register(registry);
    }

    /** A disqualification asked for by a sales tool. Either {@code leadId} or {@code crm} + {@code crmId}. */
    public record RecordRequest(UUID leadId, String crm, String crmId, String reasonCode, String note,
            Instant disqualifiedAt) {
    }

    /** The reason for a disqualification whose reason is missing (or a correction). */
    public record ReasonRequest(String reasonCode, String note) {
    }

    /** What a capture did: the record and whether it is new. */
    public record Captured(Disqualification disqualification, boolean created) {
    }

    // ---------------------------------------------------------------- from events (inside the inbox transaction)

    /** Applies the gateway's {@code lead.status-changed}; runs in the consumer's transaction. */
    public Uni<Void> onStatusChanged(StatusChanged e, Instant eventTime) {
        Instant at = e.changedAt() != null ? e.changedAt() : eventTime != null ? eventTime : Instant.now();
        boolean disqualifiedNow = config.isDisqualified(e.crm(), e.to());
        return contexts.findForUpdate(e.leadId())
                .chain(ctx -> {
                    if (ctx != null) {
                        ctx.crmStatus = e.to();
                        ctx.updatedAt = Instant.now();
                    }
                    return disqualifications.activeForLead(e.leadId()).chain(active -> {
                        if (active != null) {
                            if (!disqualifiedNow && !e.isReasonOnly()) {
                                return reopen(active, e.to(), at);
                            }
                            return reasonFromCrm(active, e);
                        }
                        if (!disqualifiedNow) {
                            return Uni.createFrom().voidItem();
                        }
                        return resolve(e.crm(), e.disqualificationReason()).chain(reason -> create(e.leadId(),
                                e.crm(), e.crmId(), e.to(), reason, e.disqualificationReason(), null, at, "event",
                                "crm:" + e.crm(), ctx)).replaceWithVoid();
                    });
                });
    }

    /** A later status event carries a reason (typically {@code reasonOnly}): fill or correct the active record. */
    private Uni<Void> reasonFromCrm(Disqualification d, StatusChanged e) {
        String raw = e.disqualificationReason();
        if (raw == null || raw.isBlank()) {
            return Uni.createFrom().voidItem();
        }
        return resolve(e.crm(), raw).chain(reason -> {
            if (reason == null) {
                d.reasonRaw = raw;
                d.updatedAt = Instant.now();
                Log.infof("disqualification %s: CRM reason '%s' is not mapped; reason stays %s", d.id, raw,
                        d.reasonState);
                return Uni.createFrom().voidItem();
            }
            if (Objects.equals(reason.code, d.reasonCode)) {
                return Uni.createFrom().voidItem();
            }
            d.reasonRaw = raw;
            return applyReason(d, reason, null, "crm:" + e.crm(), Instant.now());
        });
    }

    /** The status moved out of the disqualified statuses in the CRM: sales took the lead back. */
    private Uni<Void> reopen(Disqualification d, String status, Instant at) {
        d.state = Disqualification.REOPENED;
        insights.invalidateCache();
        d.crmStatus = status;
        d.closedAt = at;
        d.updatedAt = Instant.now();
        registry.counter("feedback.disqualifications.reopened").increment();
        return timers.cancel(d.id, List.of(FeedbackTimer.REASON_REMINDER, FeedbackTimer.MANAGER_ESCALATION,
                FeedbackTimer.RECYCLE)).replaceWithVoid();
    }

    /**
     * The CRM record behind active disqualifications is gone (deleted, or merged into another record): no more
     * reminders, escalations or recycling commands for it. The disqualifications themselves stand.
     */
    public Uni<Void> onCrmRecordsGone(String crm, java.util.Collection<String> crmIds) {
        if (crm == null || crmIds == null || crmIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return disqualifications.getSession().chain(session -> session.createNativeQuery("""
                UPDATE feedback_timer SET cancelled_at = now()
                 WHERE fired_at IS NULL AND cancelled_at IS NULL
                   AND disqualification_id IN (SELECT id FROM disqualification
                                                WHERE state = 'ACTIVE' AND crm = :crm AND crm_id IN (:ids))""")
                .setParameter("crm", crm).setParameter("ids", crmIds).executeUpdate()
                .chain(() -> session.createNativeQuery("""
                        UPDATE disqualification SET recycle_at = NULL, recycle_number = NULL, updated_at = now()
                         WHERE state = 'ACTIVE' AND crm = :crm AND crm_id IN (:ids) AND recycle_at IS NOT NULL""")
                        .setParameter("crm", crm).setParameter("ids", crmIds).executeUpdate()))
                .replaceWithVoid();
    }

    /** The active reason code a CRM value means: through the mappings, or the code itself; null when neither. */
    Uni<ReasonCode> resolve(String crm, String raw) {
        if (raw == null || raw.isBlank() || crm == null) {
            return Uni.createFrom().nullItem();
        }
        return taxonomy.mappingFor(crm, raw)
                .chain(m -> taxonomy.findById(m != null ? m.code : raw.trim().toUpperCase(Locale.ROOT)))
                .map(code -> code != null && code.active ? code : null);
    }

    // ---------------------------------------------------------------- from REST

    @WithTransaction
    public Uni<Captured> record(RecordRequest r, Caller caller) {
        List<Problem.Violation> violations = new ArrayList<>();
        if (r == null) {
            return Uni.createFrom().failure(new ProblemException.BadRequest("a body is required"));
        }
        if (r.leadId() == null && (r.crm() == null || r.crmId() == null)) {
            violations.add(new Problem.Violation("leadId", "leadId, or crm and crmId, are required"));
        }
        if (r.disqualifiedAt() != null && r.disqualifiedAt().isAfter(Instant.now().plusSeconds(300))) {
            violations.add(new Problem.Violation("disqualifiedAt", "must not be in the future"));
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the disqualification is not valid",
                    violations));
        }
        return validReason(r.reasonCode(), r.note())
                .chain(reason -> (r.leadId() != null ? contexts.findById(r.leadId())
                        : contexts.findByCrmId(r.crm(), r.crmId()))
                        .chain(ctx -> {
                            if (ctx == null || ctx.crm == null) {
                                throw new ProblemException.NotFound("lead "
                                        + (r.leadId() != null ? r.leadId() : r.crm() + "/" + r.crmId())
                                        + " is unknown to feedback");
                            }
                            checkOwner(ctx.ownerUsername, caller);
                            return disqualifications.activeForLead(ctx.leadId).chain(active -> {
                                if (active == null) {
                                    Instant at = r.disqualifiedAt() != null ? r.disqualifiedAt() : Instant.now();
                                    String status = config.disqualifiedStatuses().getOrDefault(ctx.crm, List.of())
                                            .stream().findFirst().orElse(null);
                                    return create(ctx.leadId, ctx.crm, ctx.crmId, status, reason, null, r.note(),
                                            at, "api", caller.username(), ctx)
                                            .call(d -> crmReasonValue(ctx.crm, reason.code).chain(value -> status == null
                                                    ? Uni.createFrom().voidItem()
                                                    : commands.setStatus(ctx.crm, ctx.crmId, status, value)
                                                            .replaceWithVoid()))
                                            .map(d -> new Captured(d, true));
                                }
                                if (active.reasonMissing()) {
                                    return applyReason(active, reason, r.note(), caller.username(), Instant.now())
                                            .replaceWith(new Captured(active, false));
                                }
                                if (Objects.equals(active.reasonCode, reason.code)) {
                                    return Uni.createFrom().item(new Captured(active, false));
                                }
                                throw new ProblemException.Conflict("lead " + ctx.leadId
                                        + " is already disqualified with reason " + active.reasonCode
                                        + "; change it with PUT /disqualifications/" + active.id + "/reason");
                            });
                        }));
    }

    @WithTransaction
    public Uni<Disqualification> provideReason(UUID id, ReasonRequest r, Caller caller) {
        if (r == null) {
            return Uni.createFrom().failure(new ProblemException.BadRequest("a body is required"));
        }
        return validReason(r.reasonCode(), r.note()).chain(reason -> disqualifications.findForUpdate(id)
                .chain(d -> {
                    if (d == null) {
                        throw new ProblemException.NotFound("disqualification " + id + " does not exist");
                    }
                    checkOwner(d.ownerUsername, caller);
                    if (!d.isActive()) {
                        throw new ProblemException.Conflict("disqualification " + id + " is " + d.state
                                + "; its reason can no longer change");
                    }
                    if (Objects.equals(d.reasonCode, reason.code) && Objects.equals(d.note, r.note())) {
                        return Uni.createFrom().item(d);
                    }
                    return applyReason(d, reason, r.note(), caller.username(), Instant.now()).replaceWith(d);
                }));
    }

    /** An SDR acts only on their own leads (when feedback knows the owner). */
    private static void checkOwner(String ownerUsername, Caller caller) {
        boolean onlySdr = caller.is(Roles.SDR) && !caller.isAdmin() && !caller.is(Roles.SALES_MANAGER)
                && !caller.is(Roles.SERVICE);
        if (onlySdr && ownerUsername != null && !ownerUsername.equals(caller.username())) {
            throw new ProblemException(403, "forbidden", "this lead is owned by another SDR", null);
        }
    }

    /** The reason code, active, with its note when the code requires one; otherwise a 422 with the violation. */
    Uni<ReasonCode> validReason(String code, String note) {
        if (code == null || code.isBlank()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("a reason code is required",
                    List.of(new Problem.Violation("reasonCode", "must not be blank"))));
        }
        return taxonomy.findById(code).map(reason -> {
            if (reason == null || !reason.active) {
                throw new ProblemException.Unprocessable("unknown reason code",
                        List.of(new Problem.Violation("reasonCode", "unknown or inactive reason code " + code)));
            }
            if (reason.noteRequired && (note == null || note.isBlank())) {
                throw new ProblemException.Unprocessable("this reason requires a note",
                        List.of(new Problem.Violation("note", "required for reason " + code)));
            }
            if (note != null && note.length() > 4000) {
                throw new ProblemException.Unprocessable("the note is too long",
                        List.of(new Problem.Violation("note", "at most 4000 characters")));
            }
            return reason;
        });
    }

    private Uni<String> crmReasonValue(String crm, String code) {
        return taxonomy.allMappings().map(ms -> ms.stream().filter(m -> m.crm.equals(crm) && m.code.equals(code))
                .map(m -> m.crmValue).findFirst().orElse(null));
    }

    // ---------------------------------------------------------------- shared

    private Uni<Disqualification> create(UUID leadId, String crm, String crmId, String status, ReasonCode reason,
            String raw, String note, Instant at, String via, String by, LeadContext ctx) {
        Disqualification d = new Disqualification();
        d.id = UUID.randomUUID();
        d.leadId = leadId;
        d.crm = crm;
        d.crmId = crmId;
        d.crmStatus = status;
        d.state = Disqualification.ACTIVE;
        d.reasonRaw = raw;
        d.note = note == null || note.isBlank() ? null : note.trim();
        d.disqualifiedAt = at;
        d.capturedVia = via;
        d.capturedBy = by;
        d.createdAt = Instant.now();
        d.updatedAt = d.createdAt;
        joinContext(d, ctx);
        if (reason != null) {
            setReason(d, reason);
            if (reason.noteRequired && d.note == null) {
                // only from a CRM event (REST validated the note): the CRM picklist value stands as the note
                d.note = raw;
            }
            d.reasonState = Disqualification.PROVIDED;
            d.reasonProvidedAt = at;
        } else {
            d.reasonState = Disqualification.MISSING;
            d.reasonWasMissing = true;
        }
        registry.counter("feedback.disqualifications", "via", via, "reason", d.reasonState.toLowerCase(Locale.ROOT))
                .increment();
        insights.invalidateCache();
        return disqualifications.persist(d)
                .call(() -> events.publish(FeedbackEvents.RECORDED, d.leadId, recorded(d)))
                .call(() -> reason == null ? startLoop(d) : planRecycling(d, reason))
                .replaceWith(d);
    }

    /** The context as it is at capture: copied, so later changes to the lead do not rewrite history. */
    static void joinContext(Disqualification d, LeadContext ctx) {
        if (ctx == null) {
            d.noContactAttempt = true;
            return;
        }
        d.company = ctx.company;
        d.source = ctx.source;
        d.channel = ctx.channel;
        d.campaign = ctx.campaign;
        d.form = ctx.form;
        d.country = ctx.country;
        d.companySize = ctx.companySize;
        d.industry = ctx.industry;
        d.seniority = ctx.seniority;
        d.intentTier = ctx.intentTier;
        d.ownerCrmId = ctx.ownerCrmId;
        d.ownerUsername = ctx.ownerUsername;
        d.teamName = ctx.teamName;
        d.routingRule = ctx.routingRule;
        d.leadCreatedAt = ctx.createdAt();
        if (d.leadCreatedAt != null) {
            d.leadAgeSeconds = Math.max(0, Duration.between(d.leadCreatedAt, d.disqualifiedAt).toSeconds());
        }
        d.firstTouchedAt = ctx.firstTouchedAt;
        d.ttftSeconds = ctx.ttftSeconds;
        boolean touched = ctx.firstTouchedAt != null && !ctx.firstTouchedAt.isAfter(d.disqualifiedAt);
        boolean attempted = ctx.contactAttemptedAt != null && !ctx.contactAttemptedAt.isAfter(d.disqualifiedAt);
        d.noContactAttempt = !touched && !attempted;
    }

    private static void setReason(Disqualification d, ReasonCode reason) {
        d.reasonCode = reason.code;
        d.reasonCategory = reason.category;
        d.taxonomyVersion = reason.version;
    }

    /** Gives (or corrects) the reason: closes the loop, publishes it, plans recycling. */
    private Uni<Void> applyReason(Disqualification d, ReasonCode reason, String note, String by, Instant now) {
        String previous = d.reasonCode;
        boolean wasMissing = d.reasonMissing();
        insights.invalidateCache();
        setReason(d, reason);
        d.note = note == null || note.isBlank() ? d.note : note.trim();
        if (reason.noteRequired && d.note == null) {
            // only reachable from a CRM value (REST validated the note): the CRM picklist value stands as the note
            d.note = d.reasonRaw;
        }
        d.reasonState = Disqualification.PROVIDED;
        d.reasonProvidedAt = now;
        d.updatedAt = now;
        Long seconds = null;
        if (wasMissing) {
            seconds = Math.max(0, Duration.between(d.disqualifiedAt, now).toSeconds());
            timeToReason.record(Duration.ofSeconds(seconds));
            registry.counter("feedback.loop.completed").increment();
        }
        FeedbackEvents.ReasonProvided event = new FeedbackEvents.ReasonProvided(d.id, d.leadId, d.crm, d.crmId,
                d.reasonCode, d.reasonCategory, d.note, d.taxonomyVersion, now, by, d.reasonWasMissing, seconds,
                previous);
        return timers.cancel(d.id, List.of(FeedbackTimer.REASON_REMINDER, FeedbackTimer.MANAGER_ESCALATION,
                FeedbackTimer.RECYCLE))
                .invoke(() -> {
                    d.recycleAt = null;
                    d.recycleNumber = null;
                    d.recycleCapped = false;
                })
                .chain(() -> events.publish(FeedbackEvents.REASON_PROVIDED, d.leadId, event))
                .chain(() -> planRecycling(d, reason));
    }

    /** Reason missing: ask the owner in the CRM now, remind later, tell the manager after N days. */
    private Uni<Void> startLoop(Disqualification d) {
        registry.counter("feedback.loop.started").increment();
        Instant now = Instant.now();
        List<Uni<?>> steps = new ArrayList<>();
        if (d.crm != null && d.crmId != null) {
            steps.add(commands.createTask(d.crm, d.crmId, d.ownerCrmId, taskSubject(d, 0), taskBody(d),
                    now.plus(config.loop().taskDueIn())));
        }
        if (config.loop().maxReminders() > 0) {
            steps.add(timers.persist(FeedbackTimer.of(FeedbackTimer.REASON_REMINDER, d.id,
                    now.plus(config.loop().reminderEvery()))));
        }
        steps.add(timers.persist(FeedbackTimer.of(FeedbackTimer.MANAGER_ESCALATION, d.id,
                d.disqualifiedAt.plus(config.loop().managerAfter()))));
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<?> step : steps) {
            chain = chain.chain(() -> step).replaceWithVoid();
        }
        return chain;
    }

    public static String taskSubject(Disqualification d, int reminder) {
        return (reminder == 0 ? "" : "Reminder " + reminder + ": ") + "Disqualification reason needed";
    }

    public static String taskBody(Disqualification d) {
        return "This lead was set to " + (d.crmStatus == null ? "disqualified" : d.crmStatus) + " on "
                + d.disqualifiedAt + " without a reason marketing can use. Please set the disqualification reason "
                + "(NO_BUDGET, NOT_ICP, BAD_TIMING, UNRESPONSIVE, ...) on the record. Feedback id " + d.id + ".";
    }

    private Uni<Void> planRecycling(Disqualification d, ReasonCode reason) {
        if (!reason.recyclable) {
            return Uni.createFrom().voidItem();
        }
        return disqualifications.recycledCount(d.leadId).chain(prior -> {
            RecyclingPolicy.Decision decision = RecyclingPolicy.decide(d.disqualifiedAt, reason.recyclable,
                    reason.recycleAfterDays, prior, config.recycling().cap(), Instant.now());
            d.recycleCapped = decision.capped();
            if (!decision.recycle()) {
                return Uni.createFrom().voidItem();
            }
            d.recycleAt = decision.at();
            d.recycleNumber = decision.number();
            return timers.persist(FeedbackTimer.of(FeedbackTimer.RECYCLE, d.id, decision.at())).replaceWithVoid();
        });
    }

    static FeedbackEvents.Recorded recorded(Disqualification d) {
        return new FeedbackEvents.Recorded(d.id, d.leadId, d.crm, d.crmId, d.crmStatus, d.reasonState,
                d.reasonCode, d.reasonCategory, d.reasonRaw, d.taxonomyVersion, d.disqualifiedAt, d.capturedVia,
                d.company, d.source, d.channel, d.campaign, d.form, d.country, d.companySize, d.industry,
                d.seniority, d.intentTier, d.ownerUsername, d.ownerCrmId, d.teamName, d.routingRule,
                d.leadAgeSeconds, d.ttftSeconds, d.noContactAttempt);
    }
}
