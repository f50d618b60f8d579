package com.revops.routing.assignment;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.hibernate.reactive.mutiny.Mutiny;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;
import com.revops.platform.outbox.OutboxRelay;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;
import com.revops.routing.RoutingConfig;
import com.revops.routing.engine.Decision;
import com.revops.routing.engine.LeadFacts;
import com.revops.routing.engine.Router;
import com.revops.routing.engine.RuleSet;
import com.revops.routing.engine.Trace;
import com.revops.routing.leads.Lead;
import com.revops.routing.rules.RuleSetService;
import com.revops.routing.sla.SlaService;
import com.revops.routing.teams.SalesRep;
import com.revops.routing.teams.SalesTeam;
import com.revops.routing.teams.TeamMembership;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Routes a lead and makes the decision real, all in the caller's transaction: the decision and its trace, the
 * lead's owner, the round-robin advance, the assignment history, the SLA timers, and, through the outbox, the
 * {@code lead.routed} event and the {@code owner.assign} (and optional {@code task.create}) command. Either all of
 * it commits or none of it does.
 */
@ApplicationScoped
public class RoutingService {

    public static final String TRIGGER_CREATED = "lead-created";
    public static final String TRIGGER_SLA = "sla-breach";
    public static final String TRIGGER_MANUAL = "manual";
    public static final String TRIGGER_REQUALIFIED = "requalified";
    public static final String TRIGGER_CRM = "crm-reassignment";

    private final RuleSetService ruleSets;
    private final WorldLoader loader;
    private final SlaService sla;
    private final Outbox outbox;
    private final ObjectMapper json;
    private final RoutingConfig config;
    private final Timer decisionTimer;
    private final Timer routingDelay;

    public RoutingService(RuleSetService ruleSets, WorldLoader loader, SlaService sla, Outbox outbox,
            ObjectMapper json, RoutingConfig config, MeterRegistry registry) {
        this.ruleSets = ruleSets;
        this.loader = loader;
        this.sla = sla;
        this.outbox = outbox;
        this.json = json;
        this.config = config;
        this.decisionTimer = Timer.builder("routing.decision").description("database-to-decision time in the "
                + "routing transaction").publishPercentiles(0.5, 0.9, 0.99).register(registry);
        this.routingDelay = Timer.builder("routing.delay").description("lead created in the CRM -> assigned")
                .publishPercentiles(0.5, 0.9, 0.99).register(registry);
    }

    /** Routes a lead that has never been routed; a lead already routed is left alone (idempotent). */
    public Uni<RoutingDecision> routeNew(Lead lead) {
        if (!"NEW".equals(lead.status)) {
            return Uni.createFrom().nullItem();
        }
        return route(lead, TRIGGER_CREATED, Set.of(), null, null);
    }

    /** Routes again, never to a rep who already had the lead. */
    public Uni<RoutingDecision> reroute(Lead lead, String trigger, String actor, String comment) {
        return previousOwners(lead.id).chain(previous -> route(lead, trigger, previous, actor, comment));
    }

    /** A manager's or admin's explicit reassignment to a named rep, with the reason (audited). */
    public Uni<RoutingDecision> assignManually(Lead lead, String username, String actor, String comment) {
        if (comment == null || comment.isBlank()) {
            throw new ProblemException.Unprocessable("a reassignment needs a reason",
                    List.of(new Problem.Violation("reason", "required")));
        }
        return Panache.getSession().chain(s -> s.find(SalesRep.class, username)).chain(rep -> {
            if (rep == null || !rep.active) {
                throw new ProblemException.Unprocessable("cannot reassign",
                        List.of(new Problem.Violation("toUsername", "no active rep " + username)));
            }
            if (username.equals(lead.ownerUsername)) {
                throw new ProblemException.Conflict("the lead is already owned by " + username);
            }
            Trace trace = new Trace(0, List.of(new Trace.Step("manual", null, null, true, "assign to rep "
                    + username, List.of(new Trace.CandidateCheck(username, null, Trace.Verdict.CHOSEN,
                            "chosen by " + actor)), comment)), username, null,
                    "reassigned by " + actor + ": " + comment);
            Decision d = new Decision(Decision.Reason.RULE, username, null, null, null, null, trace);
            return commitOne(lead, d, "MANUAL", TRIGGER_MANUAL, actor, comment, null, Instant.now());
        });
    }

    /**
     * Someone changed the owner in the CRM itself: routing follows (an audited decision, the assignment history and
     * a new SLA clock for the new owner) but writes nothing back, since the CRM already says so. The echo of our
     * own {@code owner.assign} names the current owner and changes nothing.
     */
    public Uni<RoutingDecision> followCrmOwner(Lead lead, String username) {
        if (username.equals(lead.ownerUsername)) {
            return Uni.createFrom().nullItem();
        }
        String note = "owner changed in " + lead.crm + " to " + username;
        Trace trace = new Trace(0, List.of(new Trace.Step("crm", null, null, true, "follow the CRM owner",
                List.of(new Trace.CandidateCheck(username, null, Trace.Verdict.CHOSEN, note)), null)), username, null,
                note);
        Decision d = new Decision(Decision.Reason.RULE, username, null, null, null, null, trace);
        return commitOne(lead, d, "CRM", TRIGGER_CRM, lead.crm, note, null, Instant.now());
    }

    /** Parks the lead in a queue (e.g. after the last allowed reassignment), ending the current assignment. */
    public Uni<RoutingDecision> park(Lead lead, String queue, String trigger, String note) {
        Trace trace = new Trace(0, List.of(new Trace.Step("escalation", null, null, true, "send to queue " + queue,
                List.of(), note)), null, queue, note);
        return commitOne(lead, new Decision(Decision.Reason.FALLBACK, null, null, queue, null, null, trace), null,
                trigger, null, note, null, Instant.now());
    }

    private Uni<RoutingDecision> route(Lead lead, String trigger, Set<String> excluded, String actor,
            String comment) {
        Instant now = Instant.now();
        long started = System.nanoTime();
        return ruleSets.published().chain(rules -> {
            if (rules == null) {
                return commitOne(lead, unrouted(), null, trigger, actor, comment, null, now);
            }
            LeadFacts facts = LeadFactsMapper.of(lead);
            return Panache.getSession().chain(s -> loader.load(s, rules, facts, true, now))
                    .chain(loaded -> {
                        Decision d = Router.decide(facts, rules, loaded.world(), now, excluded);
                        decisionTimer.record(Duration.ofNanos(System.nanoTime() - started));
                        return commitOne(lead, d, null, trigger, actor, comment, loaded, now);
                    });
        });
    }

    /**
     * Routes a batch of never-routed leads in the caller's transaction: one read of the routing model for all of them,
     * the decisions made one after the other against it (each sees the round-robin turns and open leads of the ones
     * before), and the events and commands of the whole batch written at the end. Leads already routed are skipped.
     */
    public Uni<Routed> routeNewBatch(List<Lead> batch) {
        List<Lead> leads = batch.stream().filter(l -> "NEW".equals(l.status)).toList();
        if (leads.isEmpty()) {
            return Uni.createFrom().item(new Routed(List.of(), List.of()));
        }
        Instant now = Instant.now();
        long started = System.nanoTime();
        Outgoing out = new Outgoing(new RoundRows());
        List<RoutingDecision> decided = new ArrayList<>();
        return Panache.getSession().chain(s -> roundModel(s).chain(model -> ruleSets.published(model.ruleSetVersion())
                .chain(rules -> {
                    if (rules == null) {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Lead lead : leads) {
                            chain = chain.chain(() -> commit(s, lead, unrouted(), null, TRIGGER_CREATED, null, null,
                                    null, now, out, List.of()).invoke(decided::add).replaceWithVoid());
                        }
                        return chain;
                    }
                    List<LeadFacts> facts = leads.stream().map(LeadFactsMapper::of).toList();
                    return loader.load(s, rules, facts, true, now).chain(loaded -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (int i = 0; i < leads.size(); i++) {
                            Lead lead = leads.get(i);
                            LeadFacts f = facts.get(i);
                            chain = chain.chain(() -> {
                                Decision d = Router.decide(f, rules, loaded.world(), now, Set.of());
                                loaded.world().apply(f, d);
                                return commit(s, lead, d, null, TRIGGER_CREATED, null, null, loaded, now, out,
                                        model.policies()).invoke(decided::add).replaceWithVoid();
                            });
                        }
                        return chain.invoke(() -> decisionTimer.record(Duration.ofNanos(
                                (System.nanoTime() - started) / leads.size())));
                    });
                })))
                .chain(() -> flushForImmediatePublish(out)).map(ids -> new Routed(decided, ids));
    }

    /**
     * The published rule set's version and the active SLA policies (in the order they are tried), read in one
     * statement at the start of each round: reading them every round is what lets a publish, a rollback or a policy
     * change made on any replica apply from the next round on, and one statement instead of two ORM queries keeps
     * that cheap. The version's parsed rules are cached by {@link RuleSetService#published(Integer)}.
     */
    private static final String ROUND_MODEL = """
            SELECT cast(json_build_object(
              'version', (SELECT version FROM rule_set WHERE status = 'PUBLISHED'),
              'policies', (SELECT coalesce(json_agg(json_build_object(
                  'id', id, 'name', name, 'priority', priority, 'intentTier', intent_tier, 'channel', channel,
                  'targetSeconds', target_seconds, 'clock', clock, 'warningRatio', warning_ratio,
                  'maxReassignments', max_reassignments, 'fallbackQueue', fallback_queue, 'active', active)
                  ORDER BY priority, name), '[]') FROM sla_policy WHERE active = true)
            ) as text)""";

    record RoundModel(Integer ruleSetVersion, List<com.revops.routing.sla.SlaPolicy> policies) {
    }

    /** The policies as last parsed, with the text they were parsed from: unchanged policies are not parsed again. */
    private final java.util.concurrent.atomic.AtomicReference<Map.Entry<String, List<com.revops.routing.sla.SlaPolicy>>>
            lastPolicies = new java.util.concurrent.atomic.AtomicReference<>();

    private Uni<RoundModel> roundModel(Mutiny.Session s) {
        return s.createNativeQuery(ROUND_MODEL, String.class).getSingleResult().map(text -> {
            try {
                var doc = json.readTree(text);
                var version = doc.get("version");
                String policiesText = doc.get("policies").toString();
                var last = lastPolicies.get();
                List<com.revops.routing.sla.SlaPolicy> policies;
                if (last != null && last.getKey().equals(policiesText)) {
                    policies = last.getValue();
                } else {
                    policies = new ArrayList<>();
                    for (var p : doc.get("policies")) {
                        policies.add(policy(p));
                    }
                    policies = List.copyOf(policies);
                    lastPolicies.set(Map.entry(policiesText, policies));
                }
                return new RoundModel(version == null || version.isNull() ? null : version.asInt(), policies);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A policy row as read by {@link #ROUND_MODEL}; detached (never written), only read to start clocks. */
    private static com.revops.routing.sla.SlaPolicy policy(com.fasterxml.jackson.databind.JsonNode p) {
        var row = new com.revops.routing.sla.SlaPolicy();
        row.id = UUID.fromString(p.get("id").asText());
        row.name = p.get("name").asText();
        row.priority = p.get("priority").asInt();
        row.intentTier = p.get("intentTier").isNull() ? null : p.get("intentTier").asText();
        row.channel = p.get("channel").isNull() ? null : p.get("channel").asText();
        row.targetSeconds = p.get("targetSeconds").asInt();
        row.clock = p.get("clock").asText();
        row.warningRatio = new java.math.BigDecimal(p.get("warningRatio").asText());
        row.maxReassignments = p.get("maxReassignments").asInt();
        row.fallbackQueue = p.get("fallbackQueue").asText();
        row.active = p.get("active").asBoolean();
        return row;
    }

    /**
     * What a batch decided, and the outbox rows its caller publishes with {@link OutboxRelay#publishNow} once the
     * transaction has committed (the relay publishes them after {@code routing.relay-grace} otherwise).
     */
    public record Routed(List<RoutingDecision> decisions, List<UUID> outboxIds) {
    }

    private Decision unrouted() {
        Trace trace = new Trace(0, List.of(new Trace.Step("fallback", null, null, true, null, List.of(),
                "no rule set is published")), null, config.unroutedQueue(),
                "no rule set is published; the lead waits in queue " + config.unroutedQueue());
        return new Decision(Decision.Reason.FALLBACK, null, null, config.unroutedQueue(), null, null, trace);
    }

    /** The events and commands of a routing transaction, written together at its end. */
    static final class Outgoing {
        /**
         * A batch of new leads writes its decisions, assignments and timers with one multi-row statement at its end
         * ({@link RoundRows}) instead of one entity insert each: rows are collected here instead of persisted.
         */
        final RoundRows rows;
        final List<Outbox.Pending> events = new ArrayList<>();

        Outgoing() {
            this(null);
        }

        Outgoing(RoundRows rows) {
            this.rows = rows;
        }

        /** {@code lead_assigned} notification payloads for the live assignment stream. */
        final List<String> assigned = new ArrayList<>();
    }

    private Uni<Void> flush(Outgoing out) {
        return outbox.enqueueAll(out.events).chain(() -> notifyAssigned(out));
    }

    private Uni<List<UUID>> flushForImmediatePublish(Outgoing out) {
        // the live-stream notifications go with the rows' statement (one round trip less per round)
        return outbox.enqueueAllForImmediatePublish(out.events, config.relayGrace())
                .call(() -> Panache.getSession().chain(s -> out.rows.write(s, json, out.assigned)));
    }

    private Uni<Void> notifyAssigned(Outgoing out) {
        if (out.assigned.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        // one statement for the whole batch; each payload is a single line (names and ids)
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "SELECT count(pg_notify('lead_assigned', p)) FROM regexp_split_to_table(:ps, E'\\n') p")
                .setParameter("ps", String.join("\n", out.assigned)).getSingleResult()).replaceWithVoid();
    }

    private Uni<RoutingDecision> commitOne(Lead lead, Decision d, String reasonOverride, String trigger, String actor,
            String comment, WorldLoader.Loaded loaded, Instant now) {
        Outgoing out = new Outgoing();
        return Panache.getSession().chain(s -> commit(s, lead, d, reasonOverride, trigger, actor, comment, loaded, now,
                out, null)).call(() -> flush(out));
    }

    /**
     * Makes one decision real in the session's transaction; its events and commands go to {@code out}.
     * {@code policies} are the active SLA policies when already read (null: read them).
     */
    private Uni<RoutingDecision> commit(Mutiny.Session s, Lead lead, Decision d, String reasonOverride, String trigger,
            String actor, String comment, WorldLoader.Loaded loaded, Instant now, Outgoing out,
            List<com.revops.routing.sla.SlaPolicy> policies) {
        RoutingDecision row = new RoutingDecision();
        row.id = UUID.randomUUID();
        row.leadId = lead.id;
        row.decidedAt = now;
        row.trigger = trigger;
        row.reason = reasonOverride != null ? reasonOverride : d.reason().name();
        row.ruleSetVersion = d.trace().ruleSetVersion() == 0 ? null : d.trace().ruleSetVersion();
        row.ruleName = d.rule();
        row.chosenUsername = d.assignee();
        row.queue = d.queue();
        row.decidedBy = actor;
        row.comment = comment;
        try {
            row.trace = json.writeValueAsString(d.trace());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        SalesTeam team = loaded == null || d.team() == null ? null : loaded.teams().get(d.team());
        row.teamId = team == null ? null : team.id;
        String previousOwner = lead.ownerUsername;
        boolean reassignment = !TRIGGER_CREATED.equals(trigger);

        return (out.rows != null ? out.rows.add(row) : s.persist(row))
                .chain(() -> endCurrentAssignment(s, lead, trigger, now))
                .chain(() -> advanceRoundRobin(d, loaded, now))
                .chain(() -> {
                    lead.decisionId = row.id;
                    lead.updatedAt = now;
                    lead.firstTouchedAt = null;
                    lead.firstTouchVia = null;
                    lead.firstTouchActivity = null;
                    // escalation to a queue is not a reassignment: only a new rep counts
                    if (reassignment && previousOwner != null && d.assigned()) {
                        lead.reassignmentCount++;
                    }
                    if (!d.assigned()) {
                        lead.status = "QUEUED";
                        lead.queue = d.queue();
                        lead.ownerUsername = null;
                        lead.teamId = null;
                        lead.assignedAt = null;
                        lead.slaPolicy = null;
                        lead.slaDueAt = null;
                        lead.slaState = TRIGGER_SLA.equals(trigger) ? "ESCALATED" : null;
                        publish(lead, row, d, null, previousOwner, null, now, out);
                        return Uni.createFrom().item(row);
                    }
                    lead.status = "ASSIGNED";
                    lead.queue = null;
                    lead.ownerUsername = d.assignee();
                    lead.teamId = row.teamId;
                    lead.assignedAt = now;
                    LeadAssignment a = new LeadAssignment();
                    a.id = UUID.randomUUID();
                    a.leadId = lead.id;
                    a.username = d.assignee();
                    a.teamId = row.teamId;
                    a.decisionId = row.id;
                    a.assignedAt = now;
                    return (out.rows != null ? out.rows.add(a) : s.persist(a))
                            .chain(() -> rep(s, loaded, d.assignee()))
                            .chain(rep -> (policies == null ? sla.startClock(s, lead, a, rep, now)
                                    : sla.startClock(s, lead, a, rep, now, policies,
                                            out.rows == null ? null : out.rows::add))
                                    .invoke(clock -> publish(lead, row, d, rep, previousOwner, clock, now, out)))
                            .replaceWith(row);
                });
    }

    /** The assignee's row: as the world loader read it when it did (no query), else from the session. */
    private static Uni<SalesRep> rep(Mutiny.Session s, WorldLoader.Loaded loaded, String username) {
        SalesRep rep = loaded == null ? null : loaded.reps().get(username);
        return rep != null ? Uni.createFrom().item(rep) : s.find(SalesRep.class, username);
    }

    private Uni<Void> endCurrentAssignment(Mutiny.Session s, Lead lead, String trigger, Instant now) {
        if (lead.ownerUsername == null) {
            return Uni.createFrom().voidItem();
        }
        return s.createSelectionQuery("from LeadAssignment where leadId = :l and endedAt is null",
                LeadAssignment.class).setParameter("l", lead.id).getResultList()
                .chain(open -> {
                    open.forEach(a -> {
                        a.endedAt = now;
                        a.endReason = trigger;
                    });
                    return sla.cancelTimers(s, lead.id);
                });
    }

    private Uni<Void> advanceRoundRobin(Decision d, WorldLoader.Loaded loaded, Instant now) {
        if (d.advance() == null || loaded == null) {
            return Uni.createFrom().voidItem();
        }
        var adv = d.advance();
        SalesTeam team = loaded.teams().get(adv.team());
        TeamMembership member = loaded.members().get(adv.team() + "/" + adv.username());
        team.rrVirtualTime = adv.teamVirtualTime();
        team.updatedAt = now;
        member.rrPass = adv.memberPass();
        member.assignedCount++;
        member.lastAssignedAt = now;
        return Uni.createFrom().voidItem();
    }

    private void publish(Lead lead, RoutingDecision row, Decision d, SalesRep rep, String previousOwner,
            SlaService.Clock clock, Instant now, Outgoing out) {
        Instant created = lead.crmCreatedAt != null ? lead.crmCreatedAt : lead.receivedAt;
        long delay = Math.max(0, Duration.between(created, now).toMillis());
        if (d.assigned() && TRIGGER_CREATED.equals(row.trigger)) {
            routingDelay.record(Duration.ofMillis(delay));
        }
        String ownerCrmId = rep == null ? null : rep.ownerIdIn(lead.crm);
        LeadRouted event = new LeadRouted(lead.id, lead.crm, lead.crmId, row.id, reasonLabel(row), d.assignee(),
                ownerCrmId, previousOwner, row.teamId, d.team(), d.queue(), row.ruleSetVersion, row.ruleName,
                lead.channel, lead.source, lead.intentTier, created, now, delay,
                clock == null ? null : clock.policy(), clock == null ? null : clock.dueAt(), lead.reassignmentCount);
        String subject = "lead/" + lead.id;
        out.events.add(new Outbox.Pending(Exchanges.ROUTING_EVENTS, "lead.routed", 1, subject, event));
        if (!d.assigned()) {
            return;
        }
        out.assigned.add(d.assignee() + " " + lead.id + " " + (row.teamId == null ? "-" : row.teamId) + " "
                + row.trigger);
        if (TRIGGER_CRM.equals(row.trigger)) {
            return; // the CRM already has this owner: nothing to write back
        }
        if (ownerCrmId == null) {
            io.quarkus.logging.Log.warnf("lead %s routed to %s, who has no %s owner id: no owner.assign sent",
                    lead.id, d.assignee(), lead.crm);
            return;
        }
        out.events.add(new Outbox.Pending(Exchanges.CRM_COMMANDS, "owner.assign", 1, subject,
                Map.of("crm", lead.crm, "objectType", objectType(lead), "objectId", lead.crmId,
                        "ownerId", ownerCrmId)));
        if (config.createTask()) {
            Instant due = clock == null ? now.plus(Duration.ofHours(1)) : clock.dueAt();
            out.events.add(new Outbox.Pending(Exchanges.CRM_COMMANDS, "task.create", 1, subject,
                    Map.of("crm", lead.crm, "objectType", objectType(lead), "objectId", lead.crmId,
                            "ownerId", ownerCrmId, "subject", "First touch: " + name(lead),
                            "body", "Routed to you: " + row.reason.toLowerCase().replace('_', ' ')
                                    + (row.ruleName == null ? "" : " (rule " + row.ruleName + ")"),
                            "dueAt", due.toString())));
        }
    }

    private static String reasonLabel(RoutingDecision row) {
        return switch (row.trigger) {
            case TRIGGER_SLA -> "sla-reassignment";
            case TRIGGER_MANUAL -> "manual-reassignment";
            case TRIGGER_REQUALIFIED -> "requalified";
            case TRIGGER_CRM -> "crm-reassignment";
            default -> switch (row.reason) {
                case "DUPLICATE" -> "duplicate";
                case "ACCOUNT_OWNER" -> "account-owner";
                case "FALLBACK" -> "fallback";
                default -> "rule";
            };
        };
    }

    static String objectType(Lead lead) {
        return "salesforce".equals(lead.crm) ? "Lead" : "contact";
    }

    private static String name(Lead l) {
        String n = ((l.firstName == null ? "" : l.firstName) + " " + (l.lastName == null ? "" : l.lastName)).trim();
        return n.isEmpty() ? (l.email == null ? l.crmId : l.email) : n + (l.company == null ? "" : " (" + l.company
                + ")");
    }

    /** Reps who already held the lead. */
    public Uni<Set<String>> previousOwners(UUID leadId) {
        return Panache.getSession().chain(s -> s.createSelectionQuery(
                "select distinct username from LeadAssignment where leadId = :l", String.class)
                .setParameter("l", leadId).getResultList()).map(HashSet::new);
    }

    /** The lead, locked for this transaction. */
    public static Uni<Lead> lockLead(UUID id) {
        return Panache.getSession().chain(s -> s.find(Lead.class, id, LockModeType.PESSIMISTIC_WRITE));
    }

    /** The rule set in force, for the simulator. */
    public Uni<RuleSet> published() {
        return ruleSets.published();
    }
}
