package com.revops.gateway.crm.hubspot;

import java.util.List;
import java.util.Map;

/** The typed shapes of HubSpot's CRM API that the gateway uses. */
public final class HubSpotModels {

    private HubSpotModels() {
    }

    /** A CRM object (contact, company, deal, call, email, meeting, task, note). */
    public record CrmObject(String id, Map<String, String> properties, String createdAt, String updatedAt,
            boolean archived) {
        public String property(String name) {
            return properties == null ? null : properties.get(name);
        }
    }

    /** One failed part of a batch (HubSpot answers 207 with these next to the results). */
    public record BatchError(String status, String category, String message, List<String> ids) {
    }

    /** A batch answer: what worked and, for a 207, what did not. */
    public record BatchResult(List<CrmObject> results, List<BatchError> errors) {
        public boolean partial() {
            return errors != null && !errors.isEmpty();
        }
    }

    /**
     * An input of a batch upsert ({@code id} is the value of {@code idProperty}, e.g. an email) or of a batch update
     * ({@code id} is the object id).
     */
    public record UpsertInput(String id, Map<String, String> properties) {
    }

    /** A CRM owner (a HubSpot user who can own records). */
    public record Owner(String id, String email, String firstName, String lastName, Long userId, boolean archived,
            List<String> teamIds) {
    }

    /** One search page. {@code after} is null on the last page. */
    public record SearchPage(long total, List<CrmObject> results, String after) {
    }
}
