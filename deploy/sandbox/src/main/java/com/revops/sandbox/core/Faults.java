package com.revops.sandbox.core;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Switchable faults of one simulated CRM's API: added latency, and a burst of 5xx answers for the next N calls.
 * Rate-limit exhaustion and token expiry live with the limits and the tokens. Plain Java.
 */
public final class Faults {

    private record Burst(int remaining, int status) {
    }

    private final Map<String, Long> latency = new ConcurrentHashMap<>();
    private final Map<String, Burst> bursts = new ConcurrentHashMap<>();

    public void latency(String crm, long millis) {
        if (millis < 0 || millis > 60_000) {
            throw new IllegalArgumentException("latency must be between 0 and 60000 ms");
        }
        latency.put(crm, millis);
    }

    public long latency(String crm) {
        return latency.getOrDefault(crm, 0L);
    }

    /** The next {@code count} calls to {@code crm} answer {@code status}. */
    public void errorBurst(String crm, int count, int status) {
        if (count < 1 || count > 100_000) {
            throw new IllegalArgumentException("count must be between 1 and 100000");
        }
        if (status < 500 || status > 599) {
            throw new IllegalArgumentException("status must be a 5xx");
        }
        bursts.put(crm, new Burst(count, status));
    }

    /** Takes one call out of the burst: the status to answer, or 0 when there is no burst. */
    public int takeError(String crm) {
        int[] status = {0};
        bursts.computeIfPresent(crm, (k, b) -> {
            status[0] = b.status();
            return b.remaining() > 1 ? new Burst(b.remaining() - 1, b.status()) : null;
        });
        return status[0];
    }

    public void clear() {
        latency.clear();
        bursts.clear();
    }

    public Map<String, Object> describe(String crm) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("latencyMs", latency(crm));
        Burst b = bursts.get(crm);
        out.put("errorBurstRemaining", b == null ? 0 : b.remaining());
        out.put("errorBurstStatus", b == null ? null : b.status());
        return out;
    }
}
