package com.revops.gateway.sync;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.revops.gateway.normalise.ActivityDeriver;
import com.revops.gateway.normalise.DealEventDeriver;

/**
 * The HubSpot objects a sync run reads through CRM search: their properties, the event type their records are stored
 * as ({@code sync.contact}, {@code sync.deal}, ...) and the associations read with each page (a deal's contacts and
 * companies, an engagement's contacts), so the normaliser needs no second read. Plain Java.
 */
public final class HubSpotSync {

    /**
     * @param name the CRM v3 object path ({@code deals}), as in {@code /admin/sync/hubspot/{object}}
     * @param singular the object type the webhooks and the normaliser use ({@code deal})
     * @param associations the object types whose associated ids are read with every page
     */
    public record SyncObject(String name, String singular, List<String> properties, List<String> associations) {

        /** The property holding the modification time (HubSpot names it differently on contacts). */
        public String modifiedProperty() {
            return "contacts".equals(name) ? "lastmodifieddate" : "hs_lastmodifieddate";
        }
    }

    /** Company properties: enough for the account identity (domain) and its state. */
    static final List<String> COMPANY_PROPERTIES = List.of("name", "domain", "website", "hubspot_owner_id", "industry",
            "numberofemployees", "country", "createdate");

    /** Path name -> singular type, in the order the README lists them. */
    public static final Map<String, String> OBJECTS = ordered("contacts", "contact", "companies", "company",
            "deals", "deal", "calls", "call", "emails", "email", "meetings", "meeting", "tasks", "task");

    private HubSpotSync() {
    }

    /**
     * The object named {@code name}, or null when it is not synced.
     *
     * @param contactProperties the contact properties of the field mapping and the conversion properties
     */
    public static SyncObject object(String name, List<String> contactProperties) {
        String singular = OBJECTS.get(name);
        if (singular == null) {
            return null;
        }
        return switch (singular) {
            case "contact" -> new SyncObject(name, singular, contactProperties, List.of());
            case "company" -> new SyncObject(name, singular, COMPANY_PROPERTIES, List.of());
            case "deal" -> new SyncObject(name, singular, List.copyOf(DealEventDeriver.HUBSPOT_FIELDS.values()),
                    List.of("contacts", "companies"));
            default -> new SyncObject(name, singular, ActivityDeriver.hubspotProperties(singular), List.of("contacts"));
        };
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
