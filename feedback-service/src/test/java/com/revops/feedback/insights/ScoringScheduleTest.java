package com.revops.feedback.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Plain Java: periods, content digests and the CRM write-back decision. */
class ScoringScheduleTest {

    static ScoringAdvisor.Suggestion s(String value, long leads, int adjustment) {
        WilsonInterval w = WilsonInterval.of(1, leads, 1.96);
        return new ScoringAdvisor.Suggestion(value, leads, 1, 1.0 / leads, w, 1, 1.0 / leads, w, 1.0, adjustment,
                "not-significant");
    }

    @Test
    void periodsAreCountedFromTheEpochInUtc() {
        assertEquals(Instant.parse("2026-11-24T00:00:00Z"),
                ScoringSchedule.periodStart(Instant.parse("2026-11-24T17:45:10Z"), Duration.ofDays(1)));
        assertEquals(Instant.parse("2026-11-24T17:00:00Z"),
                ScoringSchedule.periodStart(Instant.parse("2026-11-24T17:45:10Z"), Duration.ofHours(1)));
    }

    @Test
    void digestIgnoresValueOrderButNotContent() {
        String one = ScoringSchedule.digest(0.2, 0.1, List.of(s("a", 10, 0), s("b", 20, 5)));
        assertEquals(one, ScoringSchedule.digest(0.2, 0.1, List.of(s("b", 20, 5), s("a", 10, 0))));
        assertNotEquals(one, ScoringSchedule.digest(0.2, 0.1, List.of(s("a", 10, 0), s("b", 20, 6))));
        assertNotEquals(one, ScoringSchedule.digest(0.25, 0.1, List.of(s("a", 10, 0), s("b", 20, 5))));
    }

    @Test
    void writesChangesOnlyAndCleansUpOnceAtZero() {
        assertEquals(ScoringSchedule.Write.SET, ScoringSchedule.decide(-10, null));
        assertEquals(ScoringSchedule.Write.SET, ScoringSchedule.decide(-10, 5));
        assertEquals(ScoringSchedule.Write.NONE, ScoringSchedule.decide(-10, -10));
        assertEquals(ScoringSchedule.Write.CLEAR, ScoringSchedule.decide(0, 5));
        assertEquals(ScoringSchedule.Write.NONE, ScoringSchedule.decide(0, null));
    }
}
