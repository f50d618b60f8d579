package com.revops.feedback.disputes;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.commands.CrmCommands;
import com.revops.feedback.config.FeedbackConfig;
import com.revops.feedback.disqualification.Disqualification;
import com.revops.feedback.disqualification.DisqualificationRepository;
import com.revops.feedback.events.FeedbackEvents;
import com.revops.feedback.loop.FeedbackTimer;
import com.revops.feedback.loop.TimerRepository;
import com.revops.feedback.web.Caller;
import com.revops.feedback.web.Cursor;
import com.revops.platform.security.Roles;
import com.revops.platform.web.Problem;
import com.revops.platform.web.ProblemException;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Disputes: marketing ops contests a disqualification; a sales manager of the lead's team (or a RevOps admin)
 * accepts it, which re-qualifies the lead and sends it back to routing through {@code lead.requalified}, or
 * rejects it with a comment. Every step is audited in the same transaction as the change.
 */
@ApplicationScoped
public class DisputeService {

    private final DisputeRepository disputes;
    private final DisqualificationRepository disqualifications;
    private final TimerRepository timers;
    private final FeedbackEvents events;
    private final CrmCommands commands;
    private final FeedbackConfig config;
    private final MeterRegistry registry;
    private final Pool pool;

    public DisputeService(DisputeRepository disputes, DisqualificationRepository disqualifications,
            TimerRepository timers, FeedbackEvents events, CrmCommands commands, FeedbackConfig config,
            MeterRegistry registry, Pool pool) {
        this.disputes = disputes;
        this.disqualifications = disqualifications;
        this.timers = timers;
        this.events = events;
        this.commands = commands;
        this.config = config;
        this.registry = registry;
        this.pool = pool;
    }

    public record OpenRequest(String comment) {
    }

    public record ResolveRequest(String comment) {
    }

    @WithTransaction
    public Uni<Dispute> open(UUID disqualificationId, OpenRequest r, Caller caller) {
        if (r == null || r.comment() == null || r.comment().isBlank()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("a dispute needs a comment",
                    List.of(new Problem.Violation("comment", "must not be blank"))));
        }
        if (r.comment().length() > 4000) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("the comment is too long",
                    List.of(new Problem.Violation("comment", "at most 4000 characters"))));
        }
        return disqualifications.findForUpdate(disqualificationId).chain(d -> {
            if (d == null) {
                throw new ProblemException.NotFound("disqualification " + disqualificationId + " does not exist");
            }
            if (!d.isActive()) {
                throw new ProblemException.Conflict("disqualification " + d.id + " is " + d.state
                        + ": only an active disqualification can be disputed");
            }
            return disputes.openFor(d.id).chain(existing -> {
                if (existing != null) {
                    throw new ProblemException.Conflict("disqualification " + d.id + " already has open dispute "
                            + existing.id);
                }
                Instant now = Instant.now();
                Dispute dispute = new Dispute();
                dispute.id = UUID.randomUUID();
                dispute.disqualificationId = d.id;
                dispute.leadId = d.leadId;
                dispute.teamName = d.teamName;
                dispute.state = Dispute.OPEN;
                dispute.openedBy = caller.username();
                dispute.openedAt = now;
                dispute.comment = r.comment().trim();
                registry.counter("feedback.disputes.opened").increment();
                return disputes.persist(dispute)
                        .chain(() -> disputes.audit(DisputeAudit.of(dispute.id, "OPENED", caller.username(), now,
                                dispute.comment)))
                        .chain(() -> events.publish(FeedbackEvents.DISPUTE_OPENED, d.leadId,
                                new FeedbackEvents.DisputeOpened(dispute.id, d.id, d.leadId, d.teamName, d.reasonCode,
                                        caller.username(), now, dispute.comment)))
                        .replaceWith(dispute);
            });
        });
    }

    @WithTransaction
    public Uni<Dispute> accept(UUID id, ResolveRequest r, Caller caller) {
        String comment = r == null || r.comment() == null || r.comment().isBlank() ? null : r.comment().trim();
        return resolvable(id, caller).chain(dispute -> disqualifications.findForUpdate(dispute.disqualificationId)
                .chain(d -> {
                    if (d == null || !d.isActive()) {
                        throw new ProblemException.Conflict("the disqualification is "
                                + (d == null ? "gone" : d.state) + ": the dispute can only be rejected");
                    }
                    Instant now = Instant.now();
                    resolve(dispute, Dispute.ACCEPTED, caller, comment, now);
                    d.state = Disqualification.REQUALIFIED;
                    d.closedAt = now;
                    d.updatedAt = now;
                    registry.counter("feedback.disputes.resolved", "outcome", "accepted").increment();
                    String status = d.crm == null ? null : config.requalify().status().get(d.crm);
                    return disputes.audit(DisputeAudit.of(dispute.id, "ACCEPTED", caller.username(), now, comment))
                            .chain(() -> timers.cancel(d.id, List.of(FeedbackTimer.REASON_REMINDER,
                                    FeedbackTimer.MANAGER_ESCALATION, FeedbackTimer.RECYCLE)))
                            .chain(() -> events.publish(FeedbackEvents.DISPUTE_RESOLVED, d.leadId, resolved(dispute)))
                            .chain(() -> events.publish(FeedbackEvents.LEAD_REQUALIFIED, d.leadId,
                                    new FeedbackEvents.LeadRequalified(d.leadId, d.crm, d.crmId, dispute.id, now,
                                            caller.username())))
                            .chain(() -> status == null || d.crmId == null ? Uni.createFrom().voidItem()
                                    : commands.setStatus(d.crm, d.crmId, status, null).replaceWithVoid())
                            .replaceWith(dispute);
                }));
    }

    @WithTransaction
    public Uni<Dispute> reject(UUID id, ResolveRequest r, Caller caller) {
        if (r == null || r.comment() == null || r.comment().isBlank()) {
            return Uni.createFrom().failure(new ProblemException.Unprocessable("a rejection needs a comment",
                    List.of(new Problem.Violation("comment", "must not be blank"))));
        }
        return resolvable(id, caller).chain(dispute -> {
            Instant now = Instant.now();
            resolve(dispute, Dispute.REJECTED, caller, r.comment().trim(), now);
            registry.counter("feedback.disputes.resolved", "outcome", "rejected").increment();
            return disputes.audit(DisputeAudit.of(dispute.id, "REJECTED", caller.username(), now,
                    dispute.resolutionComment))
                    .chain(() -> events.publish(FeedbackEvents.DISPUTE_RESOLVED, dispute.leadId, resolved(dispute)))
                    .replaceWith(dispute);
        });
    }

    /** The dispute, open, and the caller allowed to decide it; problems otherwise (nothing changes). */
    private Uni<Dispute> resolvable(UUID id, Caller caller) {
        return disputes.findForUpdate(id).map(dispute -> {
            if (dispute == null) {
                throw new ProblemException.NotFound("dispute " + id + " does not exist");
            }
            if (!caller.isAdmin() && !(caller.is(Roles.SALES_MANAGER) && caller.manages(dispute.teamName))) {
                throw new ProblemException(403, "forbidden", "dispute " + id + " concerns team "
                        + (dispute.teamName == null ? "(unknown)" : dispute.teamName)
                        + "; only a sales manager of that team or a RevOps admin decides it", null);
            }
            if (!Dispute.OPEN.equals(dispute.state)) {
                throw new ProblemException.Conflict("dispute " + id + " is already " + dispute.state);
            }
            return dispute;
        });
    }

    private static void resolve(Dispute d, String state, Caller caller, String comment, Instant now) {
        d.state = state;
        d.resolvedBy = caller.username();
        d.resolvedAt = now;
        d.resolutionComment = comment;
    }

    private static FeedbackEvents.DisputeResolved resolved(Dispute d) {
        return new FeedbackEvents.DisputeResolved(d.id, d.disqualificationId, d.leadId, d.teamName, d.state,
                d.resolvedBy, d.resolvedAt, d.resolutionComment);
    }

    @WithSession
    public Uni<Dispute> get(UUID id) {
        return disputes.findById(id);
    }

    @WithSession
    public Uni<List<DisputeAudit>> trail(UUID id) {
        return disputes.trail(id);
    }

    /** Disputes newest first, filtered; {@code onlyTeams} restricts a manager to their teams. */
    @WithSession
    public Uni<List<Dispute>> list(String state, String team, Set<String> onlyTeams, Cursor cursor, int limit) {
        StringBuilder hql = new StringBuilder("FROM Dispute d WHERE 1 = 1");
        List<Object[]> params = new ArrayList<>();
        if (state != null && !state.isBlank()) {
            hql.append(" AND d.state = :state");
            params.add(new Object[] {"state", state});
        }
        if (team != null && !team.isBlank()) {
            hql.append(" AND d.teamName = :team");
            params.add(new Object[] {"team", team});
        }
        if (onlyTeams != null) {
            hql.append(" AND d.teamName IN :teams");
            params.add(new Object[] {"teams", onlyTeams.isEmpty() ? Set.of("\u0000none") : onlyTeams});
        }
        if (cursor != null) {
            hql.append(" AND (d.openedAt < :cAt OR (d.openedAt = :cAt AND d.id < :cId))");
            params.add(new Object[] {"cAt", cursor.at()});
            params.add(new Object[] {"cId", cursor.id()});
        }
        hql.append(" ORDER BY d.openedAt DESC, d.id DESC");
        return disputes.getSession().chain(s -> {
            var q = s.createQuery(hql.toString(), Dispute.class).setMaxResults(limit);
            params.forEach(p -> q.setParameter((String) p[0], p[1]));
            return q.getResultList();
        });
    }

    /** Dispute statistics of one team for disputes opened in a period. */
    public record TeamStats(String team, long opened, long open, long accepted, long rejected, Double acceptanceRate,
            Double medianHoursToResolve) {
    }

    public Uni<List<TeamStats>> stats(Instant from, Instant to, Set<String> onlyTeams) {
        return pool.preparedQuery("""
                SELECT coalesce(team_name, '(none)') AS team, count(*) AS opened,
                       count(*) FILTER (WHERE state = 'OPEN') AS open,
                       count(*) FILTER (WHERE state = 'ACCEPTED') AS accepted,
                       count(*) FILTER (WHERE state = 'REJECTED') AS rejected,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at))
                         FILTER (WHERE resolved_at IS NOT NULL) AS median_s
                  FROM dispute
                 WHERE opened_at >= $1 AND opened_at < $2
                   AND ($3::text[] IS NULL OR team_name = ANY($3::text[]))
                 GROUP BY 1 ORDER BY 1""")
                .execute(Tuple.of(from.atOffset(ZoneOffset.UTC), to.atOffset(ZoneOffset.UTC),
                        onlyTeams == null ? null : onlyTeams.toArray(new String[0])))
                .map(rows -> {
                    List<TeamStats> out = new ArrayList<>();
                    for (Row r : rows) {
                        long accepted = r.getLong("accepted");
                        long rejected = r.getLong("rejected");
                        Double median = r.getDouble("median_s");
                        out.add(new TeamStats(r.getString("team"), r.getLong("opened"), r.getLong("open"), accepted,
                                rejected, accepted + rejected == 0 ? null : (double) accepted / (accepted + rejected),
                                median == null ? null : median / 3600.0));
                    }
                    return out;
                });
    }
}
