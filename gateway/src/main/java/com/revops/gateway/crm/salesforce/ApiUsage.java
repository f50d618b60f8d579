package com.revops.gateway.crm.salesforce;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The org's rolling 24-hour API allocation as last reported by Salesforce in the {@code Sforce-Limit-Info} header
 * ({@code api-usage=18/15000}).
 *
 * @param used API requests counted in the current rolling window
 * @param max the org's allocation for that window
 */
public record ApiUsage(long used, long max) {

    /*
     * The header may list several counters, e.g. "api-usage=18/15000; per-app-api-usage=17/250(appName=x)". The
     * look-behind keeps "per-app-api-usage" from being mistaken for the org-wide counter.
     */
    private static final Pattern API_USAGE = Pattern.compile("(?<![\\w-])api-usage=(\\d+)/(\\d+)");

    /** The header Salesforce puts on every REST response. */
    public static final String HEADER = "Sforce-Limit-Info";

    public ApiUsage {
        if (used < 0 || max < 0) {
            throw new IllegalArgumentException("API usage cannot be negative: " + used + "/" + max);
        }
    }

    /** Share of the allocation already used, 0.0 to 1.0 (or more when Salesforce lets an org overshoot). */
    public double share() {
        // An allocation of 0 means nothing may be called at all.
        return max == 0 ? 1.0 : (double) used / max;
    }

    /**
     * Reads the org-wide counter from a {@code Sforce-Limit-Info} header value.
     *
     * @return the usage, or null when the header is absent or carries no org-wide counter
     */
    public static ApiUsage parse(String headerValue) {
        if (headerValue == null) {
            return null;
        }
        Matcher m = API_USAGE.matcher(headerValue);
        if (!m.find()) {
            return null;
        }
        try {
            return new ApiUsage(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }
}
