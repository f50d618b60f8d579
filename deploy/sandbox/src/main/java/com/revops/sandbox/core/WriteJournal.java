package com.revops.sandbox.core;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every write the gateway made through the simulated APIs, classified so a test or the scenario can reconcile what
 * the services decided with what reached the CRM. One API call may yield several entries: a PATCH that sets the owner
 * and the status is an {@code owner} entry and a {@code status} entry. Kinds:
 * <ul>
 * <li>{@code owner}: the record's owner field ({@code hubspot_owner_id}, {@code OwnerId}) was set;</li>
 * <li>{@code status}: the lead status ({@code hs_lead_status}, Lead {@code Status}), with the disqualification
 * reason when the same call set it;</li>
 * <li>{@code task}: a task was created (its fields as sent);</li>
 * <li>{@code create}: any other record was created;</li>
 * <li>{@code fields}: any other field was set.</li>
 * </ul>
 * Plain Java; thread-safe.
 */
public final class WriteJournal {

    public static final Set<String> KINDS = Set.of("owner", "status", "task", "create", "fields");

    /** One journal entry. {@code via} names the API operation, e.g. {@code PATCH /crm/v3/objects/contacts/{id}}. */
    public record Write(long seq, Instant at, String crm, String objectType, String objectId, String kind,
            Map<String, String> fields, String via) {
    }

    private static final Set<String> OWNER_FIELDS = Set.of("hubspot_owner_id", "OwnerId");
    private static final Set<String> STATUS_FIELDS = Set.of("hs_lead_status", "Status");
    private static final Set<String> REASON_FIELDS = Set.of("disqualification_reason", "Disqualification_Reason__c");

    private final List<Write> entries = new ArrayList<>();
    private final int capacity;
    private long seq;

    /** @param capacity entries kept; the oldest are dropped beyond it (counts stay exact) */
    public WriteJournal(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records one API write.
     *
     * @param objectType the CRM's own object name ({@code contacts}, {@code Lead}, ...)
     * @param created whether the call created the record
     */
    public synchronized List<Write> record(String crm, String objectType, String objectId, Map<String, ?> fields,
            boolean created, String via, Instant at) {
        List<Write> out = new ArrayList<>();
        Map<String, String> all = strings(fields);
        if (created) {
            boolean task = "tasks".equals(objectType) || "Task".equals(objectType);
            out.add(add(crm, objectType, objectId, task ? "task" : "create", all, via, at));
            return out;
        }
        Map<String, String> owner = new TreeMap<>();
        Map<String, String> status = new TreeMap<>();
        Map<String, String> rest = new TreeMap<>();
        boolean statusSet = all.keySet().stream().anyMatch(k -> isStatus(objectType, k));
        all.forEach((k, v) -> {
            if (OWNER_FIELDS.contains(k)) {
                owner.put(k, v);
            } else if (isStatus(objectType, k) || statusSet && REASON_FIELDS.contains(k)) {
                status.put(k, v);
            } else {
                rest.put(k, v);
            }
        });
        if (!owner.isEmpty()) {
            out.add(add(crm, objectType, objectId, "owner", owner, via, at));
        }
        if (!status.isEmpty()) {
            out.add(add(crm, objectType, objectId, "status", status, via, at));
        }
        if (!rest.isEmpty()) {
            out.add(add(crm, objectType, objectId, "fields", rest, via, at));
        }
        return out;
    }

    private static boolean isStatus(String objectType, String field) {
        // "Status" is the lead status only on leads; a Task's Status is just a field
        return "hs_lead_status".equals(field) || "Status".equals(field) && "Lead".equals(objectType);
    }

    /** Entries matching every given filter (null = any), oldest first, at most {@code limit}. */
    public synchronized List<Write> find(String objectId, String kind, String crm, long afterSeq, int limit) {
        List<Write> out = new ArrayList<>();
        for (Write w : entries) {
            if (w.seq() <= afterSeq || objectId != null && !sameId(objectId, w.objectId())
                    || kind != null && !kind.equals(w.kind()) || crm != null && !crm.equals(w.crm())) {
                continue;
            }
            out.add(w);
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    public synchronized long lastSeq() {
        return seq;
    }

    public synchronized void clear() {
        entries.clear();
    }

    private static boolean sameId(String wanted, String actual) {
        return wanted.equals(actual) || SalesforceIds.same(wanted, actual);
    }

    private Write add(String crm, String objectType, String objectId, String kind, Map<String, String> fields,
            String via, Instant at) {
        Write w = new Write(++seq, at, crm, objectType, objectId, kind, Collections.unmodifiableMap(fields), via);
        entries.add(w);
        if (entries.size() > capacity) {
            entries.remove(0);
        }
        return w;
    }

    private static Map<String, String> strings(Map<String, ?> fields) {
        Map<String, String> out = new TreeMap<>();
        fields.forEach((k, v) -> out.put(k, v == null ? null : String.valueOf(v)));
        return new LinkedHashMap<>(out);
    }
}
