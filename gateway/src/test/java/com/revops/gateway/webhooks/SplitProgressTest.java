package com.revops.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** When the split counts as stuck (the webhooks health group goes DOWN): waiting work and no progress for too long. */
class SplitProgressTest {

    @ParameterizedTest(name = "backlog {0}, last progress {1} ms before now: stuck {2}")
    @CsvSource({
        "0, 600000, false",   // nothing waits: however long ago the last split was
        "5, 1000, false",     // waiting, but progress a second ago (a burst being worked off)
        "5, 120000, false",   // exactly at the limit
        "5, 120001, true",    // waiting and nothing split for longer than the limit
        "100000, 119000, false"})
    void stuckOnlyWhenWorkWaitsWithoutProgress(long backlog, long sinceProgress, boolean stuck) {
        long now = 1_000_000_000L;
        assertEquals(stuck, new DeliverySplitter.Progress(backlog, now - sinceProgress, 0).stuck(now, 120_000));
    }
}
