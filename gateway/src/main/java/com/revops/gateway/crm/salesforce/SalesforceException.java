package com.revops.gateway.crm.salesforce;

import java.util.List;

/**
 * A Salesforce REST call failed. Carries the HTTP status and the first entry of Salesforce's error array
 * ({@code errorCode}, message, fields); {@link #errors()} holds all entries. Subclasses say what the caller can do
 * about it: re-authenticate, stop for the day, give up on the record, or retry later.
 */
public class SalesforceException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Status used when there was no HTTP answer at all (I/O failure, or a call stopped before it was sent). */
    public static final int NO_RESPONSE = 0;

    private final int status;
    private final transient List<SalesforceError> errors;

    public SalesforceException(int status, List<SalesforceError> errors, Throwable cause) {
        super(describe(status, errors), cause);
        this.status = status;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public SalesforceException(int status, List<SalesforceError> errors) {
        this(status, errors, null);
    }

    /** HTTP status, or {@link #NO_RESPONSE}. */
    public int status() {
        return status;
    }

    /** Salesforce's error code of the first error (e.g. {@code INVALID_FIELD}), or null. */
    public String errorCode() {
        return errors.isEmpty() ? null : errors.get(0).errorCode();
    }

    /** Salesforce's message of the first error, or null. {@link #getMessage()} adds status and code. */
    public String salesforceMessage() {
        return errors.isEmpty() ? null : errors.get(0).message();
    }

    /** Fields named by the first error, never null. */
    public List<String> fields() {
        return errors.isEmpty() ? List.of() : errors.get(0).fields();
    }

    /** Every entry of the error array, never null. */
    public List<SalesforceError> errors() {
        return errors;
    }

    private static String describe(int status, List<SalesforceError> errors) {
        StringBuilder text = new StringBuilder(status == NO_RESPONSE ? "no response" : "HTTP " + status);
        if (errors != null && !errors.isEmpty()) {
            SalesforceError first = errors.get(0);
            if (first.errorCode() != null) {
                text.append(' ').append(first.errorCode());
            }
            if (first.message() != null) {
                text.append(": ").append(first.message());
            }
            if (!first.fields().isEmpty()) {
                text.append(" (fields: ").append(String.join(", ", first.fields())).append(')');
            }
            if (errors.size() > 1) {
                text.append(" and ").append(errors.size() - 1).append(" more error(s)");
            }
        }
        return text.toString();
    }
}
