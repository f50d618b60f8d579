package com.revops.gateway.crm.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Kind;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Tier;

class BudgetPacerTest {

    final HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.FREE_STARTER, 1.0, 5, ZoneOffset.UTC); // 100/10 s

    @Test
    void aQuietCallerGoesAtOnceForASmallBurst() {
        BudgetPacer pacer = new BudgetPacer(0.5);
        long t = 1_000_000;
        for (int i = 0; i < 5; i++) { // the burst: 5% of the budget
            assertEquals(0, pacer.waitMillis(limiter, t));
            pacer.started(limiter, t);
        }
        // then one turn per 10 s / (100 x 0.5) = 200 ms
        assertEquals(200, pacer.waitMillis(limiter, t));
        assertEquals(100, pacer.waitMillis(limiter, t + 100));
        assertEquals(0, pacer.waitMillis(limiter, t + 200));
    }

    @Test
    void anExhaustedBudgetWaitsUntilACallLeavesTheWindow() {
        BudgetPacer pacer = new BudgetPacer(0.5);
        long t = 1_000_000;
        for (int i = 0; i < 100; i++) { // spent by someone else, e.g. a sync run
            limiter.acquire(Kind.STANDARD, t + i);
        }
        assertEquals(10_000 - 500, pacer.waitMillis(limiter, t + 500));
    }

    @Test
    void pacedRoundsSpendTheBudgetEvenlyInsteadOfInABurstAndAStall() {
        // two callers that each want a round every 50 ms (20/s) against 100 calls per 10 s: unpaced they spend the
        // window in 2.5 s and then wait 7.5 s; paced at 0.5 and 0.4 of it they settle at one round per 200 and
        // 250 ms, never refused by the window and never waiting long
        BudgetPacer reads = new BudgetPacer(0.5);
        BudgetPacer writes = new BudgetPacer(0.4);
        long now = 0;
        long[] last = {-1, -1};
        long longestGap = 0;
        long[] next = {0, 0};
        for (int i = 0; i < 2_000; i++) {
            int who = next[0] <= next[1] ? 0 : 1;
            BudgetPacer pacer = who == 0 ? reads : writes;
            now = next[who];
            long wait = pacer.waitMillis(limiter, now);
            now += wait;
            pacer.started(limiter, now);
            assertEquals(0, limiter.acquire(Kind.STANDARD, now), "a paced round always finds budget");
            if (last[who] >= 0) {
                longestGap = Math.max(longestGap, now - last[who]);
            }
            last[who] = now;
            next[who] = now + 50;
        }
        assertTrue(longestGap <= 250, "longest gap between one caller's rounds " + longestGap + " ms");
    }
}
