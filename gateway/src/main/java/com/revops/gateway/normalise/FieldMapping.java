package com.revops.gateway.normalise;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Which CRM property or field holds each canonical lead field. Defaults follow HubSpot's and Salesforce's standard
 * properties; portals that keep, say, the disqualification reason or the intent tier in a custom property override
 * them with {@code GATEWAY_MAPPING_HUBSPOT=field=property,...} (and {@code GATEWAY_MAPPING_SALESFORCE}).
 *
 * <p>The lead source is also translated into one vocabulary, {@link #SOURCES}, so that a company running both CRMs
 * reports "by source" once: HubSpot's original-source categories already are that vocabulary, Salesforce's
 * {@code LeadSource} picklist values are mapped to it ({@link #SALESFORCE_SOURCE_DEFAULTS}, extended or replaced value
 * by value with {@code GATEWAY_MAPPING_SALESFORCE_SOURCE_VALUES=value=CATEGORY,...}). A value with no mapping passes
 * through unchanged rather than being guessed; the CRM's own value always travels beside it as {@code crmSource}.
 * Plain Java.
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

    /**
     * The canonical lead sources: HubSpot's original-source categories, the vocabulary B2B marketing teams already
     * report by.
     */
    public static final java.util.Set<String> SOURCES = java.util.Set.of("ORGANIC_SEARCH", "PAID_SEARCH",
            "EMAIL_MARKETING", "SOCIAL_MEDIA", "PAID_SOCIAL", "REFERRALS", "OTHER_CAMPAIGNS", "DIRECT_TRAFFIC",
            "OFFLINE", "AI_REFERRALS");

    /**
     * Salesforce {@code LeadSource} values (the standard picklist and values orgs commonly add, compared without case)
     * and their category. Only values whose category is unambiguous: "Advertisement", for one, may be paid search or
     * paid social, so it is left to the org's own mapping.
     */
    static final Map<String, String> SALESFORCE_SOURCE_DEFAULTS = ordered(
            "web", "DIRECT_TRAFFIC", "direct", "DIRECT_TRAFFIC", "phone inquiry", "OFFLINE",
            "purchased list", "OFFLINE", "trade show", "OFFLINE", "webinar", "OFFLINE", "seminar - internal",
            "OFFLINE", "seminar - partner", "OFFLINE", "event", "OFFLINE", "conference", "OFFLINE",
            "partner referral", "REFERRALS", "partner", "REFERRALS", "partners", "REFERRALS",
            "employee referral", "REFERRALS", "external referral", "REFERRALS", "word of mouth", "REFERRALS",
            "referral", "REFERRALS", "email", "EMAIL_MARKETING", "organic search", "ORGANIC_SEARCH",
            "seo", "ORGANIC_SEARCH", "paid search", "PAID_SEARCH", "social media", "SOCIAL_MEDIA",
            "paid social", "PAID_SOCIAL", "other", "OTHER_CAMPAIGNS");

    private final Map<String, String> canonicalToCrm;
    /** CRM source value, lower case -> category. */
    private final Map<String, String> sourceValues;

    private FieldMapping(Map<String, String> defaults, Map<String, String> overrides,
            Map<String, String> sourceDefaults, Map<String, String> sourceOverrides) {
        Map<String, String> m = new LinkedHashMap<>(defaults);
        overrides.forEach((k, v) -> {
            if (!m.containsKey(k)) {
                throw new IllegalArgumentException("unknown canonical field in mapping: " + k);
            }
            m.put(k, v);
        });
        this.canonicalToCrm = Map.copyOf(m);
        Map<String, String> values = new LinkedHashMap<>();
        sourceDefaults.forEach((k, v) -> values.put(k.toLowerCase(java.util.Locale.ROOT), v));
        sourceOverrides.forEach((k, v) -> {
            if (!SOURCES.contains(v)) {
                throw new IllegalArgumentException("unknown lead source category " + v + " for " + k + "; one of "
                        + new java.util.TreeSet<>(SOURCES));
            }
            values.put(k.toLowerCase(java.util.Locale.ROOT), v);
        });
        this.sourceValues = Map.copyOf(values);
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
        return hubspot(overrides, Map.of());
    }

    /**
     * @param sourceValues source values of a portal whose source property is a custom one, mapped to {@link #SOURCES}
     */
    public static FieldMapping hubspot(Map<String, String> overrides, Map<String, String> sourceValues) {
        return new FieldMapping(HUBSPOT_DEFAULTS, overrides, Map.of(), sourceValues);
    }

    public static FieldMapping salesforce(Map<String, String> overrides) {
        return salesforce(overrides, Map.of());
    }

    /** @param sourceValues the org's LeadSource values mapped to {@link #SOURCES}, over the defaults */
    public static FieldMapping salesforce(Map<String, String> overrides, Map<String, String> sourceValues) {
        return new FieldMapping(SALESFORCE_DEFAULTS, overrides, SALESFORCE_SOURCE_DEFAULTS, sourceValues);
    }

    /** The mapping of one CRM as configured: {@code crm} is hubspot or salesforce. */
    public static FieldMapping of(String crm, java.util.Optional<String> fields,
            java.util.Optional<String> sourceValues) {
        return "salesforce".equals(crm) ? salesforce(parseOverrides(fields), parseOverrides(sourceValues))
                : hubspot(parseOverrides(fields), parseOverrides(sourceValues));
    }

    /** The category of a CRM source value: mapped when known, already a category, or the value itself. */
    public String source(String crmValue) {
        if (crmValue == null) {
            return null;
        }
        String mapped = sourceValues.get(crmValue.toLowerCase(java.util.Locale.ROOT));
        return mapped != null ? mapped : crmValue;
    }

    /** The CRM property holding {@code canonical}. */
    public String crmField(String canonical) {
        return canonicalToCrm.get(canonical);
    }

    /** The canonical field a CRM property holds, or null when it holds none. */
    public String canonicalOf(String crmProperty) {
        for (Map.Entry<String, String> e : canonicalToCrm.entrySet()) {
            if (e.getValue().equals(crmProperty)) {
                return e.getKey();
            }
        }
        return null;
    }

    /** Every CRM property to read. */
    public java.util.List<String> crmFields() {
        return java.util.List.copyOf(canonicalToCrm.values());
    }

    /**
     * The canonical view of a CRM record's properties (absent or blank values are null): the {@link #FIELDS}, with
     * the source as its category, then {@code crmSource}, the CRM's own source value.
     */
    public Map<String, String> canonical(Map<String, String> crmProperties) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String field : FIELDS) {
            String v = crmProperties.get(canonicalToCrm.get(field));
            out.put(field, v == null || v.isBlank() ? null : v.trim());
        }
        if (out.get("email") != null) {
            out.put("email", out.get("email").toLowerCase());
        }
        String crmSource = out.get("source");
        out.put("source", source(crmSource));
        out.put("crmSource", crmSource);
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
