package com.revops.sandbox.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.ZoneOffset;
import java.util.Map;

import org.junit.jupiter.api.Test;

class HubSpotRateLimitsTest {

    private static final long T0 = 1_795_480_000_000L;

    @Test
    void refusesTheCallAfterTheTenSecondBudgetWithHubSpotsBodyAndHeaders() {
        HubSpotRateLimits limits = new HubSpotRateLimits(3, 1000, 5, ZoneOffset.UTC);
        Map<String, String> h = limits.acquire(false, T0);
        assertEquals("3", h.get("X-HubSpot-RateLimit-Max"));
        assertEquals("2", h.get("X-HubSpot-RateLimit-Remaining"));
        assertEquals("10000", h.get("X-HubSpot-RateLimit-Interval-Milliseconds"));
        assertEquals("1000", h.get("X-HubSpot-RateLimit-Daily"));
        assertEquals("999", h.get("X-HubSpot-RateLimit-Daily-Remaining"));
        limits.acquire(false, T0 + 1);
        limits.acquire(false, T0 + 2);
        ApiException e = assertThrows(ApiException.class, () -> limits.acquire(false, T0 + 3));
        assertEquals(429, e.status());
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) e.body();
        assertEquals("error", body.get("status"));
        assertEquals("You have reached your ten_secondly_rolling limit.", body.get("message"));
        assertEquals("RATE_LIMIT", body.get("errorType"));
        assertEquals("TEN_SECONDLY_ROLLING", body.get("policyName"));
        assertEquals(36, String.valueOf(body.get("correlationId")).length());
        assertEquals("0", e.headers().get("X-HubSpot-RateLimit-Remaining"));
        // the window rolls: ten seconds after the first call there is room again
        assertEquals("0", limits.acquire(false, T0 + 10_000).get("X-HubSpot-RateLimit-Remaining"));
    }

    @Test
    void searchHasItsOwnSecondlyLimitAndIsExemptFromTheTenSecondWindow() {
        HubSpotRateLimits limits = new HubSpotRateLimits(1, 1000, 2, ZoneOffset.UTC);
        limits.acquire(false, T0);
        limits.acquire(true, T0);
        Map<String, String> h = limits.acquire(true, T0 + 1);
        assertEquals("0", h.get("X-HubSpot-RateLimit-Secondly-Remaining"));
        ApiException e = assertThrows(ApiException.class, () -> limits.acquire(true, T0 + 2));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) e.body();
        assertEquals("SECONDLY", body.get("policyName"));
        assertEquals("You have reached your secondly limit.", body.get("message"));
        limits.acquire(true, T0 + 1001);
    }

    @Test
    void dailyBudgetResetsAtMidnightOfThePortalTimeZone() {
        long lateEvening = java.time.LocalDate.of(2026, 11, 24).atTime(23, 59).toInstant(ZoneOffset.UTC)
                .toEpochMilli();
        HubSpotRateLimits limits = new HubSpotRateLimits(100, 2, 5, ZoneOffset.UTC);
        limits.acquire(false, lateEvening);
        limits.acquire(false, lateEvening + 1);
        ApiException e = assertThrows(ApiException.class, () -> limits.acquire(false, lateEvening + 2));
        @SuppressWarnings("unchecked")
        Map<String, Object> body = (Map<String, Object>) e.body();
        assertEquals("DAILY", body.get("policyName"));
        assertEquals("You have reached your daily limit.", body.get("message"));
        assertEquals("0", e.headers().get("X-HubSpot-RateLimit-Daily-Remaining"));
        assertEquals("1", limits.acquire(false, lateEvening + 120_000).get("X-HubSpot-RateLimit-Daily-Remaining"));
    }

    @Test
    void exhaustionFaultsRefuseUntilTheWindowPassesOrTheyAreCleared() {
        HubSpotRateLimits limits = new HubSpotRateLimits(100, 1000, 5, ZoneOffset.UTC);
        limits.exhaustTenSecondly(T0);
        assertThrows(ApiException.class, () -> limits.acquire(false, T0 + 9_999));
        limits.acquire(true, T0 + 9_999); // search is not in the ten-second window
        limits.acquire(false, T0 + 10_000);
        limits.exhaustDaily(T0);
        ApiException daily = assertThrows(ApiException.class, () -> limits.acquire(true, T0 + 20_000));
        assertEquals("DAILY", ((Map<?, ?>) daily.body()).get("policyName"));
        limits.clearFaults();
        limits.acquire(false, T0 + 20_001);
    }
}
