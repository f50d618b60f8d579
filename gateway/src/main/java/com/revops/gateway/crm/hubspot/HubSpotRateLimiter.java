package com.revops.gateway.crm.hubspot;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Keeps our calls under HubSpot's budgets so that the customer's integration never hits a 429: a rolling
 * ten-second window for ordinary calls, a per-second budget for CRM search (which is exempt from the ten-second
 * window), and a daily budget. Plain Java and thread-safe; time is passed in so it can be tested and benchmarked.
 *
 * <p>{@link #acquire} either records the call and answers 0, or records nothing and answers how many milliseconds
 * to wait before asking again. A 429 that slips through (other apps share the portal's limits) is fed back through
 * {@link #penalise}, which blocks the affected budget as HubSpot's own SDK backs off.
 */
public final class HubSpotRateLimiter {

    /** The two kinds of call HubSpot budgets separately. */
    public enum Kind {
        STANDARD, SEARCH
    }

    /** HubSpot's published limits per tier. */
    public enum Tier {
        FREE_STARTER(100, 250_000), PROFESSIONAL_ENTERPRISE(190, 650_000), API_LIMIT_INCREASE(190, 1_000_000),
        PUBLIC_OAUTH_APP(110, 500_000);

        final int perTenSeconds;
        final int perDay;

        Tier(int perTenSeconds, int perDay) {
            this.perTenSeconds = perTenSeconds;
            this.perDay = perDay;
        }
    }

    /** Thrown when the daily budget is spent: waiting seconds will not help, the caller must stop until tomorrow. */
    public static final class DailyBudgetExhausted extends RuntimeException {
        public DailyBudgetExhausted(int used) {
            super("HubSpot daily API budget used up (" + used + " calls)", null, false, false);
        }
    }

    static final long TEN_SECONDS = 10_000;
    static final long ONE_SECOND = 1_000;

    private final SlidingWindow tenSecond;
    private final SlidingWindow searchSecond;
    private final int dailyBudget;
    private final ZoneId dailyZone;
    private LocalDate day;
    private int usedToday;
    private long standardBlockedUntil;
    private long searchBlockedUntil;

    /**
     * @param tier         the portal's tier
     * @param headroom     share of each budget we allow ourselves (e.g. 0.9 leaves 10% to other integrations)
     * @param searchPerSec search budget (HubSpot: 5 per second per token)
     * @param dailyZone    the time zone in which the daily budget resets (the portal's)
     */
    public HubSpotRateLimiter(Tier tier, double headroom, int searchPerSec, ZoneId dailyZone) {
        if (headroom <= 0 || headroom > 1) {
            throw new IllegalArgumentException("headroom must be in (0, 1]");
        }
        this.tenSecond = new SlidingWindow(Math.max(1, (int) Math.floor(tier.perTenSeconds * headroom)), TEN_SECONDS);
        this.searchSecond = new SlidingWindow(Math.max(1, searchPerSec), ONE_SECOND);
        this.dailyBudget = (int) Math.floor(tier.perDay * headroom);
        this.dailyZone = dailyZone;
    }

    /** Records a call of {@code kind} at {@code nowMillis} and answers 0, or answers the wait in ms (nothing recorded). */
    public synchronized long acquire(Kind kind, long nowMillis) {
        rollDay(nowMillis);
        if (usedToday >= dailyBudget) {
            throw new DailyBudgetExhausted(usedToday);
        }
        long blocked = (kind == Kind.SEARCH ? searchBlockedUntil : standardBlockedUntil) - nowMillis;
        if (blocked > 0) {
            return blocked;
        }
        SlidingWindow window = kind == Kind.SEARCH ? searchSecond : tenSecond;
        long wait = window.waitFor(nowMillis);
        if (wait > 0) {
            return wait;
        }
        window.record(nowMillis);
        usedToday++;
        return 0;
    }

    /**
     * How long a call of {@code kind} would have to wait now, without recording one: 0 when it could go at once (or
     * when the daily budget is spent, which {@link #acquire} reports). Lets a caller that batches wait for the budget
     * first and gather more work into its one call meanwhile.
     */
    public synchronized long peek(Kind kind, long nowMillis) {
        rollDay(nowMillis);
        if (usedToday >= dailyBudget) {
            return 0;
        }
        long blocked = (kind == Kind.SEARCH ? searchBlockedUntil : standardBlockedUntil) - nowMillis;
        if (blocked > 0) {
            return blocked;
        }
        return (kind == Kind.SEARCH ? searchSecond : tenSecond).waitFor(nowMillis);
    }

    /** Standard calls allowed per ten seconds (the tier's, times the headroom). */
    public int tenSecondBudget() {
        return tenSecond.times.length;
    }

    /**
     * A 429 arrived anyway: block the budget of its policy for {@code attempt} times HubSpot's interval (10 s for the
     * ten-second policy, 1 s for the secondly one), as HubSpot's own SDK does. Returns the wait.
     */
    public synchronized long penalise(String policyName, int attempt, long nowMillis) {
        boolean secondly = policyName != null && policyName.toUpperCase().contains("SECONDLY")
                && !policyName.toUpperCase().contains("TEN");
        if (policyName != null && policyName.toUpperCase().contains("DAILY")) {
            usedToday = dailyBudget;
            throw new DailyBudgetExhausted(usedToday);
        }
        long wait = (secondly ? ONE_SECOND : TEN_SECONDS) * Math.max(1, attempt);
        if (secondly) {
            searchBlockedUntil = Math.max(searchBlockedUntil, nowMillis + wait);
        } else {
            standardBlockedUntil = Math.max(standardBlockedUntil, nowMillis + wait);
        }
        return wait;
    }

    /**
     * HubSpot tells us what is left ({@code X-HubSpot-RateLimit-Remaining}, {@code -Daily-Remaining}); other apps
     * on the same portal spend from the same budget, so when the server knows less is left than we think, we
     * believe the server.
     */
    public synchronized void observe(Integer remainingTenSecond, Integer dailyRemaining, long nowMillis) {
        rollDay(nowMillis);
        if (remainingTenSecond != null && remainingTenSecond <= 0) {
            standardBlockedUntil = Math.max(standardBlockedUntil, nowMillis + TEN_SECONDS);
        }
        if (dailyRemaining != null) {
            int usedByServer = Math.max(0, (int) Math.min(Integer.MAX_VALUE, (long) dailyBudget - dailyRemaining));
            usedToday = Math.max(usedToday, usedByServer);
        }
    }

    public synchronized int usedToday() {
        return usedToday;
    }

    public int dailyBudget() {
        return dailyBudget;
    }

    private void rollDay(long nowMillis) {
        LocalDate today = Instant.ofEpochMilli(nowMillis).atZone(dailyZone).toLocalDate();
        if (!today.equals(day)) {
            day = today;
            usedToday = 0;
        }
    }

    /**
     * At most {@code max} events in any window of {@code windowMillis}: a ring of the last {@code max} call times;
     * the slot to overwrite next holds the oldest, and a call is allowed once that one has left the window. O(1).
     */
    static final class SlidingWindow {
        private final long[] times;
        private final long windowMillis;
        private int next;
        private int filled;

        SlidingWindow(int max, long windowMillis) {
            this.times = new long[max];
            this.windowMillis = windowMillis;
        }

        long waitFor(long now) {
            if (filled < times.length) {
                return 0;
            }
            long oldest = times[next];
            return Math.max(0, oldest + windowMillis - now);
        }

        void record(long now) {
            times[next] = now;
            next = (next + 1) % times.length;
            if (filled < times.length) {
                filled++;
            }
        }
    }
}
