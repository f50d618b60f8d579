package com.revops.attribution.runs;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A run is computed by the replica that started it. If that replica stops, the run's heartbeat stops too: after
 * {@code attribution.runs.stale-after} without progress the run is marked FAILED (with the reason in its log), so
 * nobody waits for it; start a new run to recompute.
 */
@ApplicationScoped
public class RunReaper {

    private final Pool pool;
    private final Duration staleAfter;

    public RunReaper(Pool pool, @ConfigProperty(name = "attribution.runs.stale-after", defaultValue = "10m")
    Duration staleAfter) {
        this.pool = pool;
        this.staleAfter = staleAfter;
    }

    @Scheduled(every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "run-reaper")
    Uni<Void> tick() {
        return reap(staleAfter).onFailure().invoke(e -> Log.error("run reaper failed", e)).onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /** Fails RUNNING runs without a heartbeat for {@code after}; how many. */
    public Uni<Integer> reap(Duration after) {
        String reason = "no progress for " + after.toMinutes() + " minutes: the replica computing it stopped";
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE attribution_run SET status = 'FAILED', finished_at = now(), error = $2
                 WHERE status = 'RUNNING' AND heartbeat_at < now() - $1 * interval '1 second' RETURNING id""")
                .execute(Tuple.of(after.toSeconds(), reason))
                .chain(rows -> {
                    java.util.List<Tuple> lines = new java.util.ArrayList<>();
                    rows.forEach(r -> lines.add(Tuple.of(r.getUUID("id"), "failed: " + reason)));
                    if (lines.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Log.warnf("failed %d stale attribution run(s)", lines.size());
                    return conn.preparedQuery("INSERT INTO attribution_run_log (run_id, line) VALUES ($1, $2)")
                            .executeBatch(lines).replaceWith(lines.size());
                }));
    }
}
