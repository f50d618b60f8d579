package com.revops.routing.sla;

import java.time.Duration;
import java.time.Instant;

import com.revops.routing.engine.WorkingHours;

/** Deadlines of a policy: wall clock, or the rep's business hours. Plain Java. */
public final class SlaClock {

    /** When the warning and the deadline fall. */
    public record Deadlines(Instant warnAt, Instant dueAt) {
    }

    private SlaClock() {
    }

    public static Deadlines of(Instant start, int targetSeconds, double warningRatio, boolean business,
            WorkingHours hours) {
        Duration target = Duration.ofSeconds(targetSeconds);
        Duration warn = Duration.ofMillis(Math.round(target.toMillis() * warningRatio));
        if (business && hours != null) {
            return new Deadlines(hours.plusBusinessTime(start, warn), hours.plusBusinessTime(start, target));
        }
        return new Deadlines(start.plus(warn), start.plus(target));
    }
}
