package com.revops.routing.engine;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/** The lead as the router sees it: its identity, email and the attributes rules test. */
public record LeadFacts(UUID leadId, String email, Map<String, Object> attributes) {
    public LeadFacts {
        Objects.requireNonNull(leadId, "leadId");
        attributes = attributes == null ? Map.of() : Map.copyOf(attributes);
    }

    /** The lower-cased domain of the email, or null. */
    public String emailDomain() {
        if (email == null) {
            return null;
        }
        int at = email.lastIndexOf('@');
        if (at < 0 || at == email.length() - 1) {
            return null;
        }
        return email.substring(at + 1).trim().toLowerCase(Locale.ROOT);
    }
}
