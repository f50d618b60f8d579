package com.revops.gateway.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The SOQL of a Salesforce sync run and the cursor that keeps a resumed run from repeating or losing records. */
class SalesforceSyncTest {

    static Map<String, Object> record(String id, String modstamp) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("attributes", Map.of("type", "Lead", "url", "/services/data/v67.0/sobjects/Lead/" + id));
        r.put("Id", id);
        r.put("SystemModstamp", modstamp);
        return r;
    }

    static List<String> ids(List<Map<String, Object>> records) {
        return records.stream().map(r -> (String) r.get("Id")).toList();
    }

    @Test
    void queryHasAnInclusiveLowerBoundTheFrozenUpperBoundAndATotalOrder() {
        SalesforceSync.SyncObject leads = SalesforceSync.object("leads", List.of("Email", "Status", "OwnerId"));
        String soql = SalesforceSync.query(leads, Instant.parse("2026-11-01T10:00:00Z"),
                Instant.parse("2026-11-24T01:02:03.456Z"));
        assertEquals("SELECT Id, SystemModstamp, LastModifiedDate, CreatedDate, LastModifiedById, Email, Status, "
                + "OwnerId FROM Lead WHERE SystemModstamp >= 2026-11-01T10:00:00.000Z AND SystemModstamp <= "
                + "2026-11-24T01:02:03.456Z ORDER BY SystemModstamp ASC, Id ASC", soql);
        assertEquals("SELECT COUNT() FROM Opportunity WHERE SystemModstamp >= 1970-01-01T00:00:00.000Z AND "
                + "SystemModstamp <= 2026-11-24T00:00:00.000Z", SalesforceSync.count(
                        SalesforceSync.object("opportunities", List.of()), Instant.EPOCH,
                        Instant.parse("2026-11-24T00:00:00Z")));
    }

    @Test
    void everyDocumentedObjectIsSyncedAndOthersAreNot() {
        assertEquals(List.of("leads", "contacts", "accounts", "opportunities", "tasks", "events", "campaign-members"),
                new ArrayList<>(SalesforceSync.SOBJECTS.keySet()));
        assertEquals("CampaignMember", SalesforceSync.object("campaign-members", List.of()).sobject());
        assertTrue(SalesforceSync.object("tasks", List.of()).fields().containsAll(List.of("WhoId",
                "CallDisposition", "LastModifiedById", "SystemModstamp")));
        assertNull(SalesforceSync.object("users", List.of()));
    }

    @Test
    void aTimestampSharedAcrossAPageBoundaryIsNeitherRepeatedNorLost() {
        SalesforceSync.Cursor cursor = new SalesforceSync.Cursor(Instant.EPOCH, null);
        String t1 = "2026-11-20T10:00:00.000+0000";
        String t2 = "2026-11-20T10:00:01.000+0000";
        List<Map<String, Object>> page1 = List.of(record("00Q01", t1), record("00Q02", t2), record("00Q03", t2));
        List<Map<String, Object>> page2 = List.of(record("00Q04", t2), record("00Q05", t2));
        assertEquals(List.of("00Q01", "00Q02", "00Q03"), ids(cursor.fresh(page1)));
        assertEquals(Instant.parse("2026-11-20T10:00:01Z"), cursor.since());
        assertEquals("00Q03", cursor.id());
        assertEquals(List.of("00Q04", "00Q05"), ids(cursor.fresh(page2)));

        // a resumed run queries from the cursor's timestamp inclusive: what it handed out before is dropped
        SalesforceSync.Cursor resumed = new SalesforceSync.Cursor(Instant.parse("2026-11-20T10:00:01Z"), "00Q03");
        List<Map<String, Object>> again = List.of(record("00Q02", t2), record("00Q03", t2), record("00Q04", t2),
                record("00Q05", t2), record("00Q06", "2026-11-20T10:00:02.000Z"));
        assertEquals(List.of("00Q04", "00Q05", "00Q06"), ids(resumed.fresh(again)));
        assertEquals(List.of(), ids(resumed.fresh(again)), "a page read twice yields nothing the second time");
    }

    @Test
    void idsCompareInSalesforceOrderDigitsThenUpperThenLowerCase() {
        SalesforceSync.Cursor cursor = new SalesforceSync.Cursor(Instant.parse("2026-11-20T10:00:00Z"), "00Q0A");
        String t = "2026-11-20T10:00:00.000Z";
        assertEquals(List.of("00Q0Z", "00Q0a"), ids(cursor.fresh(List.of(record("00Q09", t), record("00Q0A", t),
                record("00Q0Z", t), record("00Q0a", t)))));
    }

    @Test
    void aRecordWithoutItsCursorFieldsIsRefused() {
        SalesforceSync.Cursor cursor = new SalesforceSync.Cursor(Instant.EPOCH, null);
        Map<String, Object> noStamp = new LinkedHashMap<>();
        noStamp.put("Id", "00Q01");
        assertThrows(IllegalStateException.class, () -> cursor.fresh(List.of(noStamp)));
    }

    @Test
    void fieldsDropAttributesAndRelationshipsAndDatesParseInBothForms() {
        Map<String, Object> r = record("00Q01", "2026-11-20T10:00:00.000+0000");
        r.put("Amount", 1200.5);
        r.put("Owner", Map.of("Name", "Ann"));
        assertEquals(Map.of("Id", "00Q01", "SystemModstamp", "2026-11-20T10:00:00.000+0000", "Amount", 1200.5),
                SalesforceSync.fields(r));
        assertEquals(Instant.parse("2026-11-20T10:00:00Z"), SalesforceSync.instant("2026-11-20T10:00:00.000+0000"));
        assertEquals(Instant.parse("2026-11-20T08:00:00Z"), SalesforceSync.instant("2026-11-20T10:00:00+02:00"));
        assertNull(SalesforceSync.instant(" "));
    }
}
