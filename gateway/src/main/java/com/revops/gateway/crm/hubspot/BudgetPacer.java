package com.revops.gateway.crm.hubspot;

import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Kind;

/**
 * Paces the rounds of one caller that batches its HubSpot calls (the normaliser's reads, the command executor's
 * writes), so that HubSpot's ten-second budget is spent evenly. Without it, such a caller starts a round, and spends
 * a call, as soon as anything arrives: at a steady 20 leads/s that ran the sliding window dry after about 8 s, and
 * every event then waited out the rest of the window (2 s stalls every 10 s). Paced, a round waits for its turn and
 * takes everything that arrived meanwhile into its one batch call, so under load the calls per record fall instead
 * of the queue growing.
 *
 * <p>A token bucket per caller: it refills at {@code share} of the budget per ten seconds and holds a small burst
 * (5% of the budget), so a quiet system answers at once, and the callers' shares (plus their bursts) stay within the
 * budget, which the sliding window then never has to refuse. When the budget has nothing left anyway (a sync run, a
 * 429), the wait is until it has. Plain Java; thread-safe.
 */
public final class BudgetPacer {

    /**
     * The longest a round waits for its turn: long enough to gather a burst into one batch call, short enough that
     * the caller's work that needs no HubSpot call (Salesforce events and commands) is not held up for long; the
     * client's own limiter still keeps every call within the budget.
     */
    public static final long MAX_WAIT_MS = 500;

    private final double share;
    private double tokens = -1; // full on first use
    private long refilledAt;

    /** @param share the share of the ten-second budget this caller's rounds may use, in (0, 1] */
    public BudgetPacer(double share) {
        if (share <= 0 || share > 1) {
            throw new IllegalArgumentException("share must be in (0, 1]");
        }
        this.share = share;
    }

    /** How long the next round should wait, given the limiter's state at {@code nowMillis}. */
    public synchronized long waitMillis(HubSpotRateLimiter limiter, long nowMillis) {
        refill(limiter, nowMillis);
        long budgetWait = limiter.peek(Kind.STANDARD, nowMillis);
        long turn = tokens >= 1 ? 0 : (long) Math.ceil((1 - tokens) / perMilli(limiter));
        return Math.max(budgetWait, turn);
    }

    /** A round starts now and spends one call. */
    public synchronized void started(HubSpotRateLimiter limiter, long nowMillis) {
        refill(limiter, nowMillis);
        tokens = Math.max(-1, tokens - 1); // a round that started early is paid back, not forgiven
    }

    private double perMilli(HubSpotRateLimiter limiter) {
        return limiter.tenSecondBudget() * share / HubSpotRateLimiter.TEN_SECONDS;
    }

    private double burst(HubSpotRateLimiter limiter) {
        return Math.max(1, Math.floor(limiter.tenSecondBudget() * 0.05));
    }

    private void refill(HubSpotRateLimiter limiter, long nowMillis) {
        if (tokens < 0 && refilledAt == 0) {
            tokens = burst(limiter);
        } else {
            tokens = Math.min(burst(limiter), tokens + (nowMillis - refilledAt) * perMilli(limiter));
        }
        refilledAt = nowMillis;
    }
}
