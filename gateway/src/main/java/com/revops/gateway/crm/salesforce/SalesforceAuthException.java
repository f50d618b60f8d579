package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * Salesforce refused our credentials: the token endpoint answered an OAuth error (e.g. {@code invalid_grant},
 * {@code invalid_client}), or the REST API answered 401 again right after a fresh token. Retrying will not help;
 * the connected app, the run-as user or the key needs fixing.
 */
public class SalesforceAuthException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public SalesforceAuthException(int status, List<SalesforceError> errors) {
        super(status, errors);
    }
}
