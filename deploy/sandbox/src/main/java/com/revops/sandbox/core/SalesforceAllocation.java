package com.revops.sandbox.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The org's rolling 24-hour API allocation. Every REST call is counted (per minute, so the window rolls); once the
 * usage reaches the allocation, calls are refused with 403 {@code REQUEST_LIMIT_EXCEEDED} and no Retry-After. Every
 * answer carries {@code Sforce-Limit-Info: api-usage=used/max}. Plain Java.
 */
public final class SalesforceAllocation {

    public static final String HEADER = "Sforce-Limit-Info";
    private static final long DAY_MINUTES = 24 * 60;

    private final long max;
    private final TreeMap<Long, Long> perMinute = new TreeMap<>();
    private boolean exhausted;

    public SalesforceAllocation(long max) {
        this.max = max;
    }

    /**
     * Counts one call or refuses it.
     *
     * @return the {@code Sforce-Limit-Info} value for the answer
     * @throws ApiException 403 REQUEST_LIMIT_EXCEEDED (with the header) once the allocation is used up
     */
    public synchronized String acquire(long now) {
        long used = used(now);
        if (used >= max || exhausted) {
            String header = header(Math.max(used, max));
            throw new ApiException(403, java.util.List.of(SalesforceErrors.entry("REQUEST_LIMIT_EXCEEDED",
                    "TotalRequests Limit exceeded.")), Map.of(HEADER, header));
        }
        perMinute.merge(now / 60_000, 1L, Long::sum);
        return header(used + 1);
    }

    /** The header value without counting a call (token answers and refusals before counting). */
    public synchronized String peek(long now) {
        return header(exhausted ? Math.max(used(now), max) : used(now));
    }

    public synchronized Map<String, Object> limits(long now) {
        long used = exhausted ? Math.max(used(now), max) : used(now);
        Map<String, Object> daily = new LinkedHashMap<>();
        daily.put("Max", max);
        daily.put("Remaining", Math.max(0, max - used));
        return Map.of("DailyApiRequests", daily);
    }

    /** Uses up the allocation until {@link #clearFaults()}. */
    public synchronized void exhaust() {
        exhausted = true;
    }

    public synchronized void clearFaults() {
        exhausted = false;
    }

    public synchronized Map<String, Object> describe(long now) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("max", max);
        out.put("used", used(now));
        out.put("exhausted", exhausted);
        return out;
    }

    private long used(long now) {
        long minute = now / 60_000;
        perMinute.headMap(minute - DAY_MINUTES, true).clear();
        return perMinute.values().stream().mapToLong(Long::longValue).sum();
    }

    private String header(long used) {
        return "api-usage=" + used + "/" + max;
    }
}
