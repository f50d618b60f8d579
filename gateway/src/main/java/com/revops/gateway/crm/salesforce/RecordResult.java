package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * The outcome for one record of an sObject Collections call ({@code /composite/sobjects}), as Salesforce reports it:
 * {@code {"id":"...","success":false,"errors":[{"statusCode":"...","message":"...","fields":["..."]}]}}.
 * A failed record is data, not an exception: with {@code allOrNone=false} the other records are still written.
 *
 * @param id the record id; Salesforce omits it for failed records, so the client fills in the id that was sent
 * @param success whether this record was written
 * @param errors why it was not, never null
 */
public record RecordResult(String id, boolean success, List<Error> errors) {

    public RecordResult {
        errors = errors == null ? List.of() : List.copyOf(errors);
    }

    /**
     * One per-record error.
     *
     * @param statusCode e.g. {@code INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST}; null when absent
     * @param message human-readable text; null when absent
     * @param fields the fields concerned, never null
     */
    public record Error(String statusCode, String message, List<String> fields) {

        public Error {
            fields = fields == null ? List.of() : List.copyOf(fields);
        }
    }
}
