package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * An upsert by external id answered 300: several records share the external id value, so Salesforce wrote nothing.
 * The data needs de-duplicating (or the field marking unique); retrying will not help.
 */
public class SalesforceMultipleMatchesException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    private final List<String> candidates;

    public SalesforceMultipleMatchesException(List<String> candidates) {
        super(300, List.of(new SalesforceError(null, "several records match the external id: " + candidates,
                List.of())));
        this.candidates = List.copyOf(candidates);
    }

    /** The URLs of the matching records, as Salesforce listed them (may be empty if the body was unreadable). */
    public List<String> candidates() {
        return candidates;
    }
}
