package com.revops.feedback.notify;

import java.time.Duration;
import java.time.Instant;

/** Plain-Java decisions of notification delivery: where it goes and when a failed one is tried again. */
public final class NotificationPolicy {

    private NotificationPolicy() {
    }

    /** Where a notification goes: the team's override URL, else the service-wide URL, else nowhere (skipped). */
    public static String target(String teamUrl, String defaultUrl) {
        if (teamUrl != null && !teamUrl.isBlank()) {
            return "team";
        }
        return defaultUrl != null && !defaultUrl.isBlank() ? "default" : "none";
    }

    /**
     * What happens after a failed attempt ({@code attempts} counts it): FAILED at the budget, otherwise PENDING
     * again after {@code base × 2^(attempts-1)} capped at {@code cap}, or after the destination's Retry-After when it
     * is longer.
     */
    public static Retry afterFailure(int attempts, int maxAttempts, Duration base, Duration cap, Duration retryAfter,
            Instant now) {
        if (attempts >= maxAttempts) {
            return new Retry(false, null);
        }
        long factor = 1L << Math.min(Math.max(attempts - 1, 0), 20);
        Duration wait = base.multipliedBy(factor);
        if (wait.compareTo(cap) > 0) {
            wait = cap;
        }
        if (retryAfter != null && retryAfter.compareTo(wait) > 0) {
            wait = retryAfter;
        }
        return new Retry(true, now.plus(wait));
    }

    /** Retry again at {@code at}, or give up. */
    public record Retry(boolean again, Instant at) {
    }
}
