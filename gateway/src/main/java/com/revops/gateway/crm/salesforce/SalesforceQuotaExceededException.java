package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * The org's daily API allocation is (nearly) used up. Either Salesforce answered 403 {@code REQUEST_LIMIT_EXCEEDED}
 * (it sends no Retry-After, and the window is a rolling 24 hours, so this is never retried), or the client stopped
 * before sending because the last reported usage reached the configured quota ceiling, leaving the rest of the
 * allocation to other integrations. Callers should stop the run and resume later.
 */
public class SalesforceQuotaExceededException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    /** The code Salesforce uses; also reported when the client stops on its own ceiling. */
    public static final String REQUEST_LIMIT_EXCEEDED = "REQUEST_LIMIT_EXCEEDED";

    private final ApiUsage usage;
    private final boolean stoppedBeforeSending;

    public SalesforceQuotaExceededException(int status, List<SalesforceError> errors, ApiUsage usage,
            boolean stoppedBeforeSending) {
        super(status, errors);
        this.usage = usage;
        this.stoppedBeforeSending = stoppedBeforeSending;
    }

    /** The last usage Salesforce reported, or null when it never did. */
    public ApiUsage usage() {
        return usage;
    }

    /** True when the client refused on its own quota ceiling and nothing was sent to Salesforce. */
    public boolean stoppedBeforeSending() {
        return stoppedBeforeSending;
    }
}
