package com.revops.gateway.sync;

import java.time.Duration;
import java.time.Instant;

/** Progress arithmetic of a sync run: share done, rate and time left. Plain Java. */
public record SyncProgress(long done, Long estimatedTotal, Instant startedAt, Instant now) {

    /** Records per second since the start (0 before the first second). */
    public double ratePerSecond() {
        double seconds = Duration.between(startedAt, now).toMillis() / 1000.0;
        return seconds < 1 ? 0 : done / seconds;
    }

    /** Percent done, capped at 100 (the estimate is taken at the start and records keep changing). */
    public Double percent() {
        if (estimatedTotal == null || estimatedTotal <= 0) {
            return null;
        }
        return Math.min(100.0, Math.round(1000.0 * done / estimatedTotal) / 10.0);
    }

    /** Estimated seconds left at the current rate, or null when unknown. */
    public Long secondsLeft() {
        double rate = ratePerSecond();
        if (estimatedTotal == null || rate <= 0) {
            return null;
        }
        return Math.max(0, Math.round((estimatedTotal - done) / rate));
    }

    /** One log line: {@code hubspot/contacts: 12,400 / 26,000 (47.7%), 830/s, about 16 s left}. */
    public String describe(String what) {
        StringBuilder b = new StringBuilder(what).append(": ").append(String.format("%,d", done));
        if (estimatedTotal != null) {
            b.append(" / ").append(String.format("%,d", estimatedTotal)).append(" (").append(percent()).append("%)");
        }
        b.append(", ").append(String.format("%,.0f", ratePerSecond())).append("/s");
        if (secondsLeft() != null) {
            b.append(", about ").append(secondsLeft()).append(" s left");
        }
        return b.toString();
    }
}
