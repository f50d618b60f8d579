package com.revops.feedback.disqualification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.web.Cursor;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The read side of disqualifications: filtered keyset pages, exports, the missing-reason list, loop metrics. */
@ApplicationScoped
public class DisqualificationQueries {

    private final DisqualificationRepository repository;
    private final Pool pool;

    public DisqualificationQueries(DisqualificationRepository repository, Pool pool) {
        this.repository = repository;
        this.pool = pool;
    }

    /** Up to {@code limit} records after {@code cursor}, newest first. */
    @WithSession
    public Uni<List<Disqualification>> page(DisqualificationFilter filter, Set<String> onlyTeams, Cursor cursor,
            int limit) {
        DisqualificationFilter.Where where = filter.where(onlyTeams);
        String hql = "FROM Disqualification d WHERE " + where.clause()
                + (cursor == null ? "" : " AND (d.disqualifiedAt < :cAt OR (d.disqualifiedAt = :cAt AND d.id < :cId))")
                + " ORDER BY d.disqualifiedAt DESC, d.id DESC";
        return repository.getSession().chain(s -> {
            var q = s.createQuery(hql, Disqualification.class).setMaxResults(limit);
            where.params().forEach(q::setParameter);
            if (cursor != null) {
                q.setParameter("cAt", cursor.at()).setParameter("cId", cursor.id());
            }
            return q.getResultList();
        });
    }

    /** Every matching record (up to {@code max}), newest first. */
    @WithSession
    public Uni<List<Disqualification>> all(DisqualificationFilter filter, Set<String> onlyTeams, int max) {
        return page(filter, onlyTeams, null, max);
    }

    @WithSession
    public Uni<Disqualification> get(java.util.UUID id) {
        return repository.findById(id);
    }

    /** Active disqualifications still without a reason, oldest first (the most overdue on top). */
    @WithSession
    public Uni<List<Disqualification>> missing(String team, String owner, Set<String> onlyTeams, Cursor cursor,
            int limit) {
        StringBuilder hql = new StringBuilder("FROM Disqualification d WHERE d.state = 'ACTIVE' "
                + "AND d.reasonState = 'MISSING'");
        if (team != null && !team.isBlank()) {
            hql.append(" AND d.teamName = :team");
        }
        if (owner != null && !owner.isBlank()) {
            hql.append(" AND d.ownerUsername = :owner");
        }
        if (onlyTeams != null) {
            hql.append(" AND d.teamName IN :teams");
        }
        if (cursor != null) {
            hql.append(" AND (d.disqualifiedAt > :cAt OR (d.disqualifiedAt = :cAt AND d.id > :cId))");
        }
        hql.append(" ORDER BY d.disqualifiedAt ASC, d.id ASC");
        return repository.getSession().chain(s -> {
            var q = s.createQuery(hql.toString(), Disqualification.class).setMaxResults(limit);
            if (team != null && !team.isBlank()) {
                q.setParameter("team", team);
            }
            if (owner != null && !owner.isBlank()) {
                q.setParameter("owner", owner);
            }
            if (onlyTeams != null) {
                q.setParameter("teams", onlyTeams.isEmpty() ? Set.of("\u0000none") : onlyTeams);
            }
            if (cursor != null) {
                q.setParameter("cAt", cursor.at()).setParameter("cId", cursor.id());
            }
            return q.getResultList();
        });
    }

    /** Completion of the missing-reason loop for disqualifications in [from, to). */
    public record LoopStats(Instant from, Instant to, long disqualifications, long reasonMissingAtCapture,
            long completed, long stillMissing, long managerNotified, Double completionRate,
            Double medianHoursToReason, Double p90HoursToReason, long noContactAttempt) {
    }

    public Uni<LoopStats> loopStats(Instant from, Instant to, String team) {
        return pool.preparedQuery("""
                SELECT count(*) AS total,
                       count(*) FILTER (WHERE reason_was_missing) AS missing,
                       count(*) FILTER (WHERE reason_was_missing AND reason_state = 'PROVIDED') AS completed,
                       count(*) FILTER (WHERE reason_state = 'MISSING' AND state = 'ACTIVE') AS still_missing,
                       count(*) FILTER (WHERE manager_notified_at IS NOT NULL) AS notified,
                       count(*) FILTER (WHERE no_contact_attempt) AS no_contact,
                       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM reason_provided_at - disqualified_at))
                         FILTER (WHERE reason_was_missing AND reason_provided_at IS NOT NULL) AS median_s,
                       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM reason_provided_at - disqualified_at))
                         FILTER (WHERE reason_was_missing AND reason_provided_at IS NOT NULL) AS p90_s
                  FROM disqualification
                 WHERE disqualified_at >= $1 AND disqualified_at < $2 AND ($3::text IS NULL OR team_name = $3)""")
                .execute(Tuple.of(from.atOffset(java.time.ZoneOffset.UTC), to.atOffset(java.time.ZoneOffset.UTC),
                        team))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    long missing = r.getLong("missing");
                    long completed = r.getLong("completed");
                    Double median = r.getDouble("median_s");
                    Double p90 = r.getDouble("p90_s");
                    return new LoopStats(from, to, r.getLong("total"), missing, completed, r.getLong("still_missing"),
                            r.getLong("notified"), missing == 0 ? null : (double) completed / missing,
                            median == null ? null : median / 3600.0, p90 == null ? null : p90 / 3600.0,
                            r.getLong("no_contact"));
                });
    }

}
