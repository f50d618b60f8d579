package com.revops.feedback.recycling;

import java.time.Duration;
import java.time.Instant;

/** Whether and when a disqualified lead goes back to nurture. Plain Java. */
public final class RecyclingPolicy {

    private RecyclingPolicy() {
    }

    /**
     * @param recycle whether to schedule a recycling
     * @param at      when (null when not recycled)
     * @param number  which recycling of this lead it is (1 = first), 0 when not recycled
     * @param capped  the reason is recyclable but the lead has been recycled {@code cap} times already
     */
    public record Decision(boolean recycle, Instant at, int number, boolean capped) {
        static final Decision NOT_RECYCLABLE = new Decision(false, null, 0, false);
    }

    /**
     * @param disqualifiedAt   when sales disqualified the lead: the recycle date counts from there, not from when the
     *                         reason arrived, so a late reason does not delay the lead's return
     * @param recyclable       whether the reason is recyclable
     * @param recycleAfterDays the reason's delay
     * @param priorRecycles    how often this lead has been recycled already
     * @param cap              the most recyclings one lead may have
     * @param now              the present: a date already passed fires at the next poll, never in the past
     */
    public static Decision decide(Instant disqualifiedAt, boolean recyclable, Integer recycleAfterDays,
            long priorRecycles, int cap, Instant now) {
        if (!recyclable || recycleAfterDays == null || recycleAfterDays <= 0) {
            return Decision.NOT_RECYCLABLE;
        }
        if (priorRecycles >= cap) {
            return new Decision(false, null, 0, true);
        }
        Instant at = disqualifiedAt.plus(Duration.ofDays(recycleAfterDays));
        return new Decision(true, at.isBefore(now) ? now : at, (int) priorRecycles + 1, false);
    }
}
