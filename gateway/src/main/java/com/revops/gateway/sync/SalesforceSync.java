package com.revops.gateway.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a Salesforce sync run reads and how it moves: the sObjects and fields per synced object, the SOQL of a run
 * (inclusive lower bound on {@code SystemModstamp}, upper bound frozen at the start, ordered by
 * {@code (SystemModstamp, Id)}) and the cursor that drops what an earlier page or an earlier attempt of the run
 * already handed out. Plain Java.
 *
 * <p>Why an inclusive lower bound: many records can share one {@code SystemModstamp} (a mass update), so a resumed
 * run cannot start strictly after the last timestamp it reached without losing the rest of that timestamp; it reads
 * the timestamp again and the cursor drops the ids up to the one it stopped at. One query is paged to its end through
 * {@code nextRecordsUrl} (no re-windowing), so a shared timestamp never makes a run loop.
 */
public final class SalesforceSync {

    /** Fields every synced sObject is read with: the cursor's and the version the normaliser compares. */
    static final List<String> SYSTEM_FIELDS = List.of("Id", "SystemModstamp", "LastModifiedDate", "CreatedDate",
            "LastModifiedById");

    /** One synced object: its path name in {@code /admin/sync/salesforce/{object}}, its sObject and its fields. */
    public record SyncObject(String name, String sobject, List<String> fields) {
    }

    private static final Map<String, List<String>> OWN_FIELDS = Map.of(
            "Contact", List.of("Email", "FirstName", "LastName", "AccountId", "OwnerId", "LeadSource", "Title",
                    "MailingCountry"),
            "Account", List.of("Name", "Website", "OwnerId", "Industry", "NumberOfEmployees", "BillingCountry"),
            "Opportunity", List.of("Name", "StageName", "Amount", "CloseDate", "IsWon", "IsClosed", "OwnerId",
                    "AccountId", "ContactId", "LeadSource", "CampaignId"),
            "Task", List.of("OwnerId", "WhoId", "WhatId", "Subject", "TaskSubtype", "Type", "CallType",
                    "CallDisposition", "Status", "IsClosed", "ActivityDate", "CompletedDateTime", "CreatedById"),
            "Event", List.of("OwnerId", "WhoId", "WhatId", "Subject", "Type", "ActivityDateTime", "StartDateTime",
                    "ActivityDate", "CreatedById"),
            "CampaignMember", List.of("CampaignId", "LeadId", "ContactId", "Email", "Status", "HasResponded",
                    "FirstRespondedDate"));

    /** Path name -> sObject, in the order the README lists them. */
    public static final Map<String, String> SOBJECTS = ordered("leads", "Lead", "contacts", "Contact",
            "accounts", "Account", "opportunities", "Opportunity", "tasks", "Task", "events", "Event",
            "campaign-members", "CampaignMember");

    private static final DateTimeFormatter SOQL_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSX")
            .withZone(java.time.ZoneOffset.UTC);

    private SalesforceSync() {
    }

    /**
     * The object named {@code name} ({@code leads}, {@code opportunities}...), or null when it is not synced.
     *
     * @param leadFields the Lead fields of the field mapping (the ones the normaliser derives lead events from)
     */
    public static SyncObject object(String name, List<String> leadFields) {
        String sobject = SOBJECTS.get(name);
        if (sobject == null) {
            return null;
        }
        List<String> own = "Lead".equals(sobject) ? leadFields : OWN_FIELDS.get(sobject);
        List<String> fields = Stream.concat(SYSTEM_FIELDS.stream(), own.stream()).distinct().toList();
        return new SyncObject(name, sobject, fields);
    }

    /** The synced object of an sObject ({@code Lead} -> leads), or null when it is not synced. */
    public static SyncObject bySobject(String sobject, List<String> leadFields) {
        for (Map.Entry<String, String> e : SOBJECTS.entrySet()) {
            if (e.getValue().equals(sobject)) {
                return object(e.getKey(), leadFields);
            }
        }
        return null;
    }

    /** The sObjects whose deletions a run reads ({@code /sobjects/{type}/deleted}) and announces. */
    public static final java.util.Set<String> DELETIONS_READ = java.util.Set.of("Lead", "Contact");

    /** The run's query: every record with {@code since <= SystemModstamp <= until}, by (SystemModstamp, Id). */
    public static String query(SyncObject o, Instant since, Instant until) {
        return "SELECT " + String.join(", ", o.fields()) + " FROM " + o.sobject() + where(since, until)
                + " ORDER BY SystemModstamp ASC, Id ASC";
    }

    /** How many records the run will read, for its progress. */
    public static String count(SyncObject o, Instant since, Instant until) {
        return "SELECT COUNT() FROM " + o.sobject() + where(since, until);
    }

    private static String where(Instant since, Instant until) {
        return " WHERE SystemModstamp >= " + literal(since) + " AND SystemModstamp <= " + literal(until);
    }

    /** A SOQL datetime literal (unquoted, UTC, milliseconds). */
    static String literal(Instant at) {
        return SOQL_DATETIME.format(at.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Salesforce's datetime as the REST API writes it ({@code 2026-11-24T08:15:00.000+0000}) or ISO-8601. */
    public static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        String v = String.valueOf(value).trim();
        if (v.isEmpty()) {
            return null;
        }
        return OffsetDateTime.parse(v.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant();
    }

    /**
     * The position of a run: every record up to ({@code since}, {@code id}) in (SystemModstamp, Id) order was handed
     * out. Records at or before it are dropped when they come again (the inclusive lower bound of a resumed run).
     */
    public static final class Cursor {
        private Instant since;
        private String id;

        public Cursor(Instant since, String id) {
            this.since = since;
            this.id = id;
        }

        public Instant since() {
            return since;
        }

        public String id() {
            return id;
        }

        /**
         * The records of a page that are new to the run, in order; the cursor moves to the last record of the page.
         *
         * @throws IllegalStateException when a record lacks Id or SystemModstamp (the query asks for both)
         */
        public List<Map<String, Object>> fresh(List<Map<String, Object>> records) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Map<String, Object> r : records) {
                Object rid = r.get("Id");
                Instant at = instant(r.get("SystemModstamp"));
                if (rid == null || at == null) {
                    throw new IllegalStateException("a synced record without Id or SystemModstamp: " + r);
                }
                String recordId = String.valueOf(rid);
                if (after(at, recordId)) {
                    out.add(r);
                    since = at;
                    id = recordId;
                }
            }
            return out;
        }

        private boolean after(Instant at, String recordId) {
            if (since == null || at.isAfter(since)) {
                return true;
            }
            // Salesforce orders ids by their characters (0-9 < A-Z < a-z), which is String order
            return at.equals(since) && (id == null || recordId.compareTo(id) > 0);
        }
    }

    /**
     * A record as the normaliser reads it: its fields without Salesforce's {@code attributes} and without relationship
     * objects, values as Salesforce sent them.
     */
    public static Map<String, Object> fields(Map<String, Object> record) {
        Map<String, Object> out = new LinkedHashMap<>();
        record.forEach((k, v) -> {
            if (!"attributes".equals(k) && !(v instanceof Map)) {
                out.put(k, v);
            }
        });
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
