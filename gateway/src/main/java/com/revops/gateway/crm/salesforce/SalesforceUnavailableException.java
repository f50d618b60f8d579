package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * Salesforce could not be reached or answered 5xx, and the client's own retries (exponential back-off with jitter)
 * were used up. Worth retrying later: the request was either not processed or is safe to replay.
 */
public class SalesforceUnavailableException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public SalesforceUnavailableException(int status, List<SalesforceError> errors, Throwable cause) {
        super(status, errors, cause);
    }
}
