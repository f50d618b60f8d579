package com.revops.gateway.crm.salesforce;

import java.util.List;

/** Salesforce answered 404: the record (or sObject type) does not exist, or was deleted. */
public class SalesforceNotFoundException extends SalesforceException {

    private static final long serialVersionUID = 1L;

    public SalesforceNotFoundException(List<SalesforceError> errors) {
        super(404, errors);
    }
}
