package com.revops.gateway.crm.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Kind;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Tier;

class HubSpotRateLimiterTest {

    /** Greedy callers on a simulated clock: every call they are allowed is recorded. */
    static List<Long> drive(HubSpotRateLimiter limiter, Kind kind, long from, long until) {
        List<Long> granted = new ArrayList<>();
        long now = from;
        while (now < until) {
            long wait = limiter.acquire(kind, now);
            if (wait == 0) {
                granted.add(now);
            } else {
                now += wait;
            }
        }
        return granted;
    }

    static int maxInAnyWindow(List<Long> times, long window) {
        int best = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (times.get(end) - times.get(start) >= window) {
                start++;
            }
            best = Math.max(best, end - start + 1);
        }
        return best;
    }

    @Test
    void neverMoreThanTheTierAllowsInAnyTenSecondWindow() {
        // Professional: 190 per 10 s; with 90% headroom we allow ourselves 171
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.PROFESSIONAL_ENTERPRISE, 0.9, 5, ZoneOffset.UTC);
        List<Long> granted = drive(limiter, Kind.STANDARD, 0, 60_000);
        assertEquals(171, maxInAnyWindow(granted, 10_000));
        // and the budget is used, not wasted: 6 windows' worth in a minute
        assertEquals(171 * 6, granted.size());
    }

    @Test
    void irregularArrivalsStillRespectTheWindow() {
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.FREE_STARTER, 1.0, 5, ZoneOffset.UTC);
        Random random = new Random(42);
        List<Long> granted = new ArrayList<>();
        long now = 0;
        for (int i = 0; i < 20_000; i++) {
            now += random.nextInt(120);
            if (limiter.acquire(Kind.STANDARD, now) == 0) {
                granted.add(now);
            }
        }
        assertTrue(maxInAnyWindow(granted, 10_000) <= 100, "at most 100 per rolling 10 s");
    }

    @Test
    void peekTellsTheWaitWithoutSpendingTheBudget() {
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.FREE_STARTER, 1.0, 5, ZoneOffset.UTC);
        long t = 1_000_000;
        for (int i = 0; i < 99; i++) {
            assertEquals(0, limiter.acquire(Kind.STANDARD, t + i));
        }
        assertEquals(0, limiter.peek(Kind.STANDARD, t + 99));
        assertEquals(0, limiter.peek(Kind.STANDARD, t + 99), "peeking records nothing");
        assertEquals(0, limiter.acquire(Kind.STANDARD, t + 99), "the 100th call is still allowed");
        assertEquals(10_000 - 100, limiter.peek(Kind.STANDARD, t + 100), "until the first call leaves the window");
        assertEquals(0, limiter.peek(Kind.SEARCH, t + 100), "search has its own budget");
        limiter.penalise("TEN_SECONDLY_ROLLING", 1, t + 200);
        assertEquals(10_000, limiter.peek(Kind.STANDARD, t + 200), "a 429 blocks the policy");
    }

    @Test
    void searchHasItsOwnPerSecondBudgetOutsideTheTenSecondWindow() {
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.FREE_STARTER, 1.0, 5, ZoneOffset.UTC);
        List<Long> search = drive(limiter, Kind.SEARCH, 0, 10_000);
        assertEquals(5, maxInAnyWindow(search, 1_000));
        assertEquals(50, search.size());
        // 50 searches did not spend the ten-second budget of standard calls
        assertEquals(100, drive(limiter, Kind.STANDARD, 10_000, 10_001).size());
    }

    @Test
    void dailyBudgetStopsCallsUntilTheNextDay() {
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.FREE_STARTER, 1.0, 5, ZoneOffset.UTC);
        long now = 0;
        int granted = 0;
        while (true) {
            try {
                long wait = limiter.acquire(Kind.STANDARD, now);
                if (wait == 0) {
                    granted++;
                } else {
                    now += wait;
                }
            } catch (HubSpotRateLimiter.DailyBudgetExhausted e) {
                break;
            }
        }
        assertEquals(250_000, granted);
        assertTrue(now < 86_400_000L, "exhausted within the day");
        assertEquals(0, limiter.acquire(Kind.STANDARD, 86_400_000L), "a new day, a new budget");
    }

    @Test
    void a429BlocksItsPolicyForAttemptTimesTheInterval() {
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.PROFESSIONAL_ENTERPRISE, 1.0, 5, ZoneOffset.UTC);
        assertEquals(20_000, limiter.penalise("TEN_SECONDLY_ROLLING", 2, 1_000));
        assertEquals(19_000, limiter.acquire(Kind.STANDARD, 2_000));
        assertEquals(0, limiter.acquire(Kind.SEARCH, 2_000), "search is another budget");
        assertEquals(1_000, limiter.penalise("SECONDLY", 1, 3_000));
        assertTrue(limiter.acquire(Kind.SEARCH, 3_500) > 0);
        assertEquals(0, limiter.acquire(Kind.STANDARD, 21_000));
        assertThrows(HubSpotRateLimiter.DailyBudgetExhausted.class, () -> limiter.penalise("DAILY", 1, 22_000));
    }

    @Test
    void serverReportedRemainingOverridesOurCount() {
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(Tier.PROFESSIONAL_ENTERPRISE, 1.0, 5, ZoneOffset.UTC);
        limiter.observe(0, null, 0);
        assertEquals(10_000, limiter.acquire(Kind.STANDARD, 0));
        limiter.observe(null, 10, 0);
        assertEquals(650_000 - 10, limiter.usedToday());
    }
}
