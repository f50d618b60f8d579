package com.revops.gateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;

import org.junit.jupiter.api.Test;

class SyncProgressTest {

    static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

    @Test
    void rateShareAndTimeLeftFollowFromDoneEstimateAndElapsedTime() {
        // 12,400 of 26,000 in 20 s: 620/s, 47.7%, (26,000 - 12,400) / 620 = 21.9 -> 22 s left
        SyncProgress p = new SyncProgress(12_400, 26_000L, START, START.plusSeconds(20));
        assertEquals(620.0, p.ratePerSecond());
        assertEquals(47.7, p.percent());
        assertEquals(22L, p.secondsLeft());
        assertEquals("hubspot/contacts: 12,400 / 26,000 (47.7%), 620/s, about 22 s left",
                p.describe("hubspot/contacts"));
    }

    @Test
    void withoutAnEstimateOrBeforeTheFirstSecondNothingIsGuessed() {
        SyncProgress p = new SyncProgress(10, null, START, START.plusMillis(500));
        assertEquals(0.0, p.ratePerSecond());
        assertNull(p.percent());
        assertNull(p.secondsLeft());
    }

    @Test
    void recordsChangedDuringTheRunNeverPushThePercentagePastAHundred() {
        assertEquals(100.0, new SyncProgress(1_050, 1_000L, START, START.plusSeconds(10)).percent());
        assertEquals(0L, new SyncProgress(1_050, 1_000L, START, START.plusSeconds(10)).secondsLeft());
    }
}
