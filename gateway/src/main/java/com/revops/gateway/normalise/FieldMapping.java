package com.revops.gateway.normalise;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which CRM property or field holds each canonical lead field. Defaults follow HubSpot's and Salesforce's standard
 * properties; portals that keep, say, the disqualification reason or the intent tier in a custom property override
 * them with {@code GATEWAY_MAPPING_HUBSPOT=field=property,...} (and {@code GATEWAY_MAPPING_SALESFORCE}). Plain Java.
 */
public final class FieldMapping {

    /** The canonical lead fields, in the order events carry them. */
    public static final String[] FIELDS = {"email", "firstName", "lastName", "company", "website", "country",
        "companySize", "industry", "source", "channel", "campaign", "intentTier", "score", "status",
        "disqualificationReason", "owner", "lifecycleStage"};

    static final Map<String, String> HUBSPOT_DEFAULTS = ordered(
            "email", "email", "firstName", "firstname", "lastName", "lastname", "company", "company",
            "website", "website", "country", "country", "companySize", "numemployees", "industry", "industry",
            "source", "hs_analytics_source", "channel", "hs_analytics_source_data_1",
            "campaign", "hs_analytics_first_touch_converting_campaign", "intentTier", "intent_tier",
            "score", "hubspotscore", "status", "hs_lead_status", "disqualificationReason", "disqualification_reason",
            "owner", "hubspot_owner_id", "lifecycleStage", "lifecyclestage");

    static final Map<String, String> SALESFORCE_DEFAULTS = ordered(
            "email", "Email", "firstName", "FirstName", "lastName", "LastName", "company", "Company",
            "website", "Website", "country", "Country", "companySize", "NumberOfEmployees", "industry", "Industry",
            "source", "LeadSource", "channel", "Channel__c", "campaign", "Campaign__c", "intentTier", "Intent_Tier__c",
            "score", "Lead_Score__c", "status", "Status", "disqualificationReason", "Disqualification_Reason__c",
            "owner", "OwnerId", "lifecycleStage", "Lifecycle_Stage__c");

    private final Map<String, String> canonicalToCrm;

    private FieldMapping(Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> m = new LinkedHashMap<>(defaults);
        overrides.forEach((k, v) -> {
            if (!m.containsKey(k)) {
                throw new IllegalArgumentException("unknown canonical field in mapping: " + k);
            }
            m.put(k, v);
        });
        this.canonicalToCrm = Map.copyOf(m);
    }

    /** Parses {@code field=property,field=property}. */
    public static Map<String, String> parseOverrides(java.util.Optional<String> spec) {
        Map<String, String> out = new LinkedHashMap<>();
        spec.ifPresent(s -> {
            for (String pair : s.split(",")) {
                String[] kv = pair.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                    throw new IllegalArgumentException("field mapping must be field=property pairs: " + pair);
                }
                out.put(kv[0].trim(), kv[1].trim());
            }
        });
        return out;
    }

    public static FieldMapping hubspot(Map<String, String> overrides) {
        return new FieldMapping(HUBSPOT_DEFAULTS, overrides);
    }

    public static FieldMapping salesforce(Map<String, String> overrides) {
        return new FieldMapping(SALESFORCE_DEFAULTS, overrides);
    }

    /** The CRM property holding {@code canonical}. */
    public String crmField(String canonical) {
        return canonicalToCrm.get(canonical);
    }

    /** Every CRM property to read. */
    public java.util.List<String> crmFields() {
        return java.util.List.copyOf(canonicalToCrm.values());
    }

    /** The canonical view of a CRM record's properties (absent or blank values are null). */
    public Map<String, String> canonical(Map<String, String> crmProperties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String v = crmProperties.get(canonicalToCrm.get(field));
            out.put(field, v == null || v.isBlank() ? null : v.trim());
        }
        if (out.get("email") != null) {
            out.put("email", out.get("email").toLowerCase());
        }
        return out;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
