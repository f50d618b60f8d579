package com.revops.feedback.loop;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class TimerRepository implements PanacheRepositoryBase<FeedbackTimer, UUID> {

    /**
     * Claims one due timer for this transaction. {@code SKIP LOCKED}: replicas polling at the same time take
     * different timers, and a timer being fired elsewhere is not waited for.
     */
    public Uni<FeedbackTimer> claimDue(int maxAttempts) {
        return getSession().chain(s -> s.createNativeQuery("""
                SELECT * FROM feedback_timer
                 WHERE fired_at IS NULL AND cancelled_at IS NULL AND due_at <= now() AND attempts < :max
                 ORDER BY due_at
                 LIMIT 1
                 FOR UPDATE SKIP LOCKED""", FeedbackTimer.class)
                .setParameter("max", maxAttempts)
                .getSingleResultOrNull());
    }

    /** Cancels the pending timers of these kinds for a disqualification. */
    public Uni<Integer> cancel(UUID disqualificationId, java.util.Collection<String> kinds) {
        return update("cancelledAt = ?1 where disqualificationId = ?2 and kind in ?3 and firedAt is null "
                + "and cancelledAt is null", java.time.Instant.now(), disqualificationId, kinds);
    }

    /** Records a failed attempt (in its own transaction: the failed one rolled back) and backs off. */
    public Uni<Integer> recordFailure(UUID id, String error, java.time.Duration backoff) {
        return getSession().chain(s -> s.createNativeQuery("""
                UPDATE feedback_timer SET attempts = attempts + 1, last_error = :error,
                       due_at = now() + (:seconds * interval '1 second') * power(2, least(attempts, 10))
                 WHERE id = :id""")
                .setParameter("error", error == null ? "unknown" : error.substring(0, Math.min(error.length(), 500)))
                .setParameter("seconds", backoff.toSeconds())
                .setParameter("id", id)
                .executeUpdate());
    }
}
