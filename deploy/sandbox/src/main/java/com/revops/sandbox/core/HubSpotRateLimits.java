package com.revops.sandbox.core;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * HubSpot's API limits for one private app / installed account: a rolling ten-second window for ordinary calls, a
 * per-second window for CRM search (which is exempt from the ten-second window), and a daily budget that resets at
 * midnight in the portal's time zone. Every answer carries the {@code X-HubSpot-RateLimit-*} headers; a refused call
 * gets HubSpot's 429 body with its {@code policyName}. Refused calls do not consume budget. Plain Java.
 */
public final class HubSpotRateLimits {

    /** HubSpot's policy names as they appear in a 429 body. */
    public enum Policy {
        TEN_SECONDLY_ROLLING("You have reached your ten_secondly_rolling limit."),
        SECONDLY("You have reached your secondly limit."),
        DAILY("You have reached your daily limit.");

        final String message;

        Policy(String message) {
            this.message = message;
        }
    }

    public static final long INTERVAL_MILLIS = 10_000;

    private final int perTenSeconds;
    private final int perDay;
    private final int searchPerSecond;
    private final ZoneId zone;
    private final ArrayDeque<Long> tenSecondly = new ArrayDeque<>();
    private final ArrayDeque<Long> secondly = new ArrayDeque<>();
    private LocalDate day;
    private long usedToday;
    private long tenSecondlyExhaustedUntil;
    private LocalDate dailyExhaustedOn;

    public HubSpotRateLimits(int perTenSeconds, int perDay, int searchPerSecond, ZoneId zone) {
        this.perTenSeconds = perTenSeconds;
        this.perDay = perDay;
        this.searchPerSecond = searchPerSecond;
        this.zone = zone;
    }

    /**
     * Counts one call, or refuses it.
     *
     * @return the headers to put on the answer
     * @throws ApiException 429 with HubSpot's body (and the same headers) when a window is full
     */
    public synchronized Map<String, String> acquire(boolean search, long now) {
        roll(now);
        Policy refused = null;
        if (usedToday >= perDay || day.equals(dailyExhaustedOn)) {
            refused = Policy.DAILY;
        } else if (search && secondly.size() >= searchPerSecond) {
            refused = Policy.SECONDLY;
        } else if (!search && (tenSecondly.size() >= perTenSeconds || now < tenSecondlyExhaustedUntil)) {
            refused = Policy.TEN_SECONDLY_ROLLING;
        }
        if (refused != null) {
            throw new ApiException(429, body(refused), headers(search, now));
        }
        usedToday++;
        (search ? secondly : tenSecondly).addLast(now);
        return headers(search, now);
    }

    /** The headers of the current budgets, without counting a call (for answers refused before the limits). */
    public synchronized Map<String, String> peek(boolean search, long now) {
        roll(now);
        return headers(search, now);
    }

    /** Fills the current ten-second window: every ordinary call is refused for the next ten seconds. */
    public synchronized void exhaustTenSecondly(long now) {
        tenSecondlyExhaustedUntil = now + INTERVAL_MILLIS;
    }

    /** Uses up today's budget: every call is refused until midnight in the portal's time zone. */
    public synchronized void exhaustDaily(long now) {
        roll(now);
        dailyExhaustedOn = day;
    }

    public synchronized void clearFaults() {
        tenSecondlyExhaustedUntil = 0;
        dailyExhaustedOn = null;
    }

    /** What the fault view shows. */
    public synchronized Map<String, Object> describe(long now) {
        roll(now);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("perTenSeconds", perTenSeconds);
        out.put("perDay", perDay);
        out.put("searchPerSecond", searchPerSecond);
        out.put("usedInWindow", tenSecondly.size());
        out.put("usedToday", usedToday);
        out.put("tenSecondlyExhausted", now < tenSecondlyExhaustedUntil);
        out.put("dailyExhausted", day.equals(dailyExhaustedOn));
        return out;
    }

    static Map<String, Object> body(Policy policy) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "error");
        body.put("message", policy.message);
        body.put("errorType", "RATE_LIMIT");
        body.put("correlationId", UUID.randomUUID().toString());
        body.put("policyName", policy.name());
        body.put("requestId", UUID.randomUUID().toString());
        return body;
    }

    private Map<String, String> headers(boolean search, long now) {
        Map<String, String> h = new LinkedHashMap<>();
        boolean tenExhausted = now < tenSecondlyExhaustedUntil;
        h.put("X-HubSpot-RateLimit-Max", Integer.toString(perTenSeconds));
        h.put("X-HubSpot-RateLimit-Remaining",
                Integer.toString(tenExhausted ? 0 : Math.max(0, perTenSeconds - tenSecondly.size())));
        h.put("X-HubSpot-RateLimit-Interval-Milliseconds", Long.toString(INTERVAL_MILLIS));
        h.put("X-HubSpot-RateLimit-Daily", Integer.toString(perDay));
        long dailyRemaining = day.equals(dailyExhaustedOn) ? 0 : Math.max(0, perDay - usedToday);
        h.put("X-HubSpot-RateLimit-Daily-Remaining", Long.toString(dailyRemaining));
        if (search) {
            h.put("X-HubSpot-RateLimit-Secondly", Integer.toString(searchPerSecond));
            h.put("X-HubSpot-RateLimit-Secondly-Remaining",
                    Integer.toString(Math.max(0, searchPerSecond - secondly.size())));
        }
        return h;
    }

    private void roll(long now) {
        while (!tenSecondly.isEmpty() && tenSecondly.peekFirst() <= now - INTERVAL_MILLIS) {
            tenSecondly.removeFirst();
        }
        while (!secondly.isEmpty() && secondly.peekFirst() <= now - 1000) {
            secondly.removeFirst();
        }
        LocalDate today = Instant.ofEpochMilli(now).atZone(zone).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            usedToday = 0;
        }
    }
}
