package com.revops.routing.assignment;

import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.routing.engine.LeadFacts;
import com.revops.routing.leads.Lead;

/** The attributes of a stored lead as rules see them. */
public final class LeadFactsMapper {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LeadFactsMapper() {
    }

    public static LeadFacts of(Lead l) {
        Map<String, Object> a = new HashMap<>();
        put(a, "country", l.country);
        put(a, "region", l.region);
        put(a, "companySize", l.companySize);
        put(a, "industry", l.industry);
        put(a, "source", l.source);
        put(a, "channel", l.channel);
        put(a, "intentTier", l.intentTier);
        put(a, "score", l.score);
        put(a, "language", l.language);
        put(a, "campaign", l.campaign);
        put(a, "company", l.company);
        put(a, "crm", l.crm);
        if (l.customFields != null) {
            try {
                JsonNode custom = JSON.readTree(l.customFields);
                custom.fields().forEachRemaining(e -> {
                    if (!e.getValue().isNull()) {
                        a.put("custom." + e.getKey(), e.getValue().isNumber() ? e.getValue().decimalValue()
                                : e.getValue().asText());
                    }
                });
            } catch (Exception e) {
                // a malformed custom-field blob only hides custom fields from rules
            }
        }
        return new LeadFacts(l.id, l.email, a);
    }

    private static void put(Map<String, Object> a, String key, Object value) {
        if (value != null) {
            a.put(key, value);
        }
    }
}
