package com.revops.gateway.normalise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Derives {@code deal.changed} by comparing a deal's last known state with its current one (stage, amount,
 * currency, close date, owner, pipeline, contacts, company). Nothing changed, nothing derived. Plain Java.
 */
public final class DealEventDeriver {

    /** The deal fields we track, canonical name -> HubSpot property. */
    public static final Map<String, String> HUBSPOT_FIELDS = ordered(
            "name", "dealname", "stage", "dealstage", "pipeline", "pipeline", "amount", "amount",
            "currency", "deal_currency_code", "closeDate", "closedate", "owner", "hubspot_owner_id",
            "createdAt", "createdate");

    /**
     * The Opportunity fields we track, canonical name -> Salesforce field. No pipeline (Salesforce has none); the
     * currency only in multi-currency orgs ({@code CurrencyIsoCode}), else the consumer's default applies.
     */
    public static final Map<String, String> SALESFORCE_FIELDS = ordered(
            "name", "Name", "stage", "StageName", "amount", "Amount", "currency", "CurrencyIsoCode",
            "closeDate", "CloseDate", "owner", "OwnerId", "createdAt", "CreatedDate");

    private DealEventDeriver() {
    }

    /**
     * The current state of a Salesforce Opportunity from its fields (outbound message or sync record), with its
     * contact ({@code ContactId}) and account ({@code AccountId}) as "contacts" and "companies".
     */
    public static Map<String, String> fromSalesforce(Map<String, String> fields) {
        Map<String, String> after = new LinkedHashMap<>();
        SALESFORCE_FIELDS.forEach((field, sfField) -> after.put(field, blankToNull(fields.get(sfField))));
        after.put("contacts", blankToNull(fields.get("ContactId")));
        after.put("companies", blankToNull(fields.get("AccountId")));
        return after;
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

    /**
     * @param before last known state (null for a deal new to us)
     * @param after  current state, including "contacts" and "companies" as comma-joined sorted CRM ids
     * @return the {@code deal.changed} data, or null when nothing changed
     */
    public static Map<String, Object> derive(Map<String, String> before, Map<String, String> after) {
        Map<String, Object> changes = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : after.entrySet()) {
            String old = before == null ? null : before.get(e.getKey());
            if (before == null || !Objects.equals(old, e.getValue())) {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("from", old);
                change.put("to", e.getValue());
                changes.put(e.getKey(), change);
            }
        }
        if (before != null && changes.isEmpty()) {
            return null;
        }
        Map<String, Object> data = new LinkedHashMap<>(after);
        data.put("isNew", before == null);
        data.put("changes", changes);
        if (before != null && changes.containsKey("stage")) {
            data.put("previousStage", before.get("stage"));
        }
        return data;
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
