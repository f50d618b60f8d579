package com.revops.feedback.insights;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.feedback.config.FeedbackConfig;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;

/**
 * Publishes scoring feedback once per period ({@code feedback.scoring.schedule.every}, default daily) across
 * replicas. Every replica checks now and then; the one that locks the {@code scheduled_job} row
 * ({@code FOR UPDATE SKIP LOCKED}: the others skip at once instead of waiting) and finds the current period not yet
 * done publishes, in the same transaction that records the period. A failed run rolls back both, so the next check
 * tries again; a replica crash mid-run releases the lock with the rollback.
 */
@ApplicationScoped
public class ScoringScheduler {

    static final String JOB = "scoring-feedback";

    private final InsightsService insights;
    private final FeedbackConfig config;
    private final io.vertx.mutiny.sqlclient.Pool pool;

    public ScoringScheduler(InsightsService insights, FeedbackConfig config, io.vertx.mutiny.sqlclient.Pool pool) {
        this.insights = insights;
        this.config = config;
        this.pool = pool;
    }

    /** What a check did: {@code ran}, {@code done} (this period was published already) or {@code busy}. */
    public record Run(String outcome, Instant periodStart, Instant from, Instant to, List<String> published,
            List<String> unchanged, int crmWrites, int crmCleared) {
    }

    @Scheduled(every = "${feedback.scoring.schedule.check-every:60s}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "feedback-scoring-schedule")
    Uni<Void> check() {
        if (!config.scoring().schedule().enabled()) {
            return Uni.createFrom().voidItem();
        }
        return runIfDue(Instant.now()).onFailure().recoverWithItem(e -> {
            Log.warnf("scheduled scoring feedback failed (retried at the next check): %s", e.getMessage());
            return null;
        }).replaceWithVoid();
    }

    /** Publishes for the period {@code now} falls in, unless it is done or another replica is at it. */
    public Uni<Run> runIfDue(Instant now) {
        FeedbackConfig.Schedule s = config.scoring().schedule();
        Instant period = ScoringSchedule.periodStart(now, s.every());
        Instant from = period.minus(s.lookback());
        List<Dimension> dims = dimensions(s);
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                SELECT coalesce(last_period_start >= :p, false) FROM scheduled_job WHERE name = :job
                   FOR UPDATE SKIP LOCKED""", Boolean.class)
                .setParameter("p", period).setParameter("job", JOB).getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(new Run("busy", period, from, period, List.of(), List.of(), 0,
                                0));
                    }
                    if (Boolean.TRUE.equals(rows.get(0))) {
                        return Uni.createFrom().item(new Run("done", period, from, period, List.of(), List.of(), 0,
                                0));
                    }
                    Instant started = Instant.now();
                    Log.infof("scoring feedback for period %s: publishing %d dimensions over leads created in "
                            + "[%s, %s)%s", period, dims.size(), from, period, s.writeToCrm() ? " with CRM write-back"
                                    : "");
                    return insights.publishInTransaction(dims, from, period, s.writeToCrm(), true).chain(p -> {
                        List<String> published = p.dimensions().stream()
                                .map(InsightsService.ScoringDimension::dimension).toList();
                        String result = "published " + published + ", unchanged " + p.unchanged() + ", CRM writes "
                                + p.crmWrites() + ", cleared " + p.crmCleared()
                                + (p.crmWritesCapped() ? " (capped)" : "");
                        Log.infof("scoring feedback for period %s: %s in %d ms", period, result,
                                java.time.Duration.between(started, Instant.now()).toMillis());
                        return session.createNativeQuery("""
                                UPDATE scheduled_job SET last_period_start = :p, last_started_at = :s,
                                       last_finished_at = now(), last_replica = :r, last_result = :res
                                 WHERE name = :job""")
                                .setParameter("p", period).setParameter("s", started).setParameter("r", replica())
                                .setParameter("res", result).setParameter("job", JOB).executeUpdate()
                                .replaceWith(new Run("ran", period, from, period, published, p.unchanged(),
                                        p.crmWrites(), p.crmCleared()));
                    });
                })));
    }

    /** The schedule and its last run, and what each dimension last published. */
    public record Status(boolean enabled, String every, String lookback, boolean writeToCrm, Instant lastPeriodStart,
            Instant lastStartedAt, Instant lastFinishedAt, String lastReplica, String lastResult,
            List<Published> dimensions) {
    }

    public record Published(String dimension, Instant periodFrom, Instant periodTo, Instant publishedAt) {
    }

    public Uni<Status> status() {
        FeedbackConfig.Schedule s = config.scoring().schedule();
        return pool.query("""
                SELECT last_period_start, last_started_at, last_finished_at, last_replica, last_result
                  FROM scheduled_job WHERE name = 'scoring-feedback'""").execute()
                .chain(job -> pool.query("SELECT dimension, period_from, period_to, published_at "
                        + "FROM scoring_publication ORDER BY dimension").execute().map(dims -> {
                            List<Published> published = new ArrayList<>();
                            dims.forEach(r -> published.add(new Published(r.getString("dimension"),
                                    instant(r, "period_from"), instant(r, "period_to"), instant(r, "published_at"))));
                            io.vertx.mutiny.sqlclient.Row r = job.iterator().hasNext() ? job.iterator().next() : null;
                            return new Status(s.enabled(), s.every().toString(), s.lookback().toString(),
                                    s.writeToCrm(), r == null ? null : instant(r, "last_period_start"),
                                    r == null ? null : instant(r, "last_started_at"),
                                    r == null ? null : instant(r, "last_finished_at"),
                                    r == null ? null : r.getString("last_replica"),
                                    r == null ? null : r.getString("last_result"), published);
                        }));
    }

    private static Instant instant(io.vertx.mutiny.sqlclient.Row r, String column) {
        java.time.OffsetDateTime t = r.getOffsetDateTime(column);
        return t == null ? null : t.toInstant();
    }

    static List<Dimension> dimensions(FeedbackConfig.Schedule s) {
        if (s.dimensions().isEmpty() || s.dimensions().get().isEmpty()) {
            return List.of(Dimension.SCORING);
        }
        List<Dimension> out = new ArrayList<>();
        s.dimensions().get().forEach(d -> {
            Dimension dim = Dimension.parse(d.trim());
            if (!out.contains(dim)) {
                out.add(dim);
            }
        });
        return out;
    }

    private static String replica() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "unknown" : host;
    }
}
