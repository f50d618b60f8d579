package com.revops.gateway.crm.salesforce;

/**
 * What an upsert by external id did.
 *
 * @param id the record id; null when Salesforce answered 204 without a body (API versions before 46.0)
 * @param created true for 201 (a new record), false for 200/204 (an existing record was updated)
 */
public record UpsertResult(String id, boolean created) {
}
