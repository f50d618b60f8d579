package com.revops.sandbox.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HubSpotStoreTest {

    private static final long T0 = 1_795_480_000_000L;
    private HubSpotStore store;

    @BeforeEach
    void portal() {
        store = new HubSpotStore(Map.of("contacts", List.of("intent_tier", "disqualification_reason")));
        store.addOwner(new HubSpotStore.Owner("501", "sam@x.io", "Sam", "Sdr", 1, List.of(), T0));
    }

    private String contact(int i, long at) {
        return store.create("contacts", Map.of("email", "p" + i + "@acme.io", "lastname", "P" + i), List.of(),
                "FORM", at).id();
    }

    private HubSpotStore.Search modifiedAfter(long since, int limit, int after) {
        return new HubSpotStore.Search(List.of(List.of(new HubSpotStore.Filter("lastmodifieddate", "GT",
                Long.toString(since), null, null))), "lastmodifieddate", false, List.of("email"), limit, after);
    }

    @Test
    void aRestartedSimulatorHandsOutIdsNoEarlierRunGaveOut() {
        String before = contact(1, T0);
        store.advanceIds(1_795_480_000L * 10_000L);
        String after = contact(2, T0);
        assertEquals(Long.parseLong(before) + 1_795_480_000L * 10_000L + 1, Long.parseLong(after));
        SalesforceIds ids = new SalesforceIds("Sb");
        String first = ids.next("Lead");
        ids.advance(10_000L);
        assertFalse(ids.next("Lead").equals(ids.next("Lead")));
        SalesforceIds restarted = new SalesforceIds("Sb");
        restarted.advance(10_000L);
        assertFalse(restarted.next("Lead").equals(first), "a restarted org must not reuse an earlier run's id");
        assertFalse(restarted.next("Contact").equals(new SalesforceIds("Sb").next("Contact")),
                "also for object types created only after the advance");
    }

    @Test
    void searchPagesAtMost200AndRefusesToPagePast10000Results() {
        IntStream.range(0, 10_250).forEach(i -> contact(i, T0 + i));
        HubSpotStore.SearchPage first = store.search("contacts", modifiedAfter(T0 - 1, 200, 0));
        assertEquals(10_250, first.total());
        assertEquals(200, first.results().size());
        assertEquals("200", first.nextAfter());
        HubSpotStore.SearchPage last = store.search("contacts", modifiedAfter(T0 - 1, 200, 9_800));
        assertEquals(200, last.results().size());
        assertEquals("10000", last.nextAfter());
        ApiException beyond = assertThrows(ApiException.class,
                () -> store.search("contacts", modifiedAfter(T0 - 1, 200, 10_000)));
        assertEquals(400, beyond.status());
        assertEquals("VALIDATION_ERROR", ((Map<?, ?>) beyond.body()).get("category"));
        ApiException tooBig = assertThrows(ApiException.class,
                () -> store.search("contacts", modifiedAfter(T0 - 1, 201, 0)));
        assertEquals(400, tooBig.status());
        // re-windowing on the last modification date reaches the rest
        HubSpotStore.SearchPage rest = store.search("contacts", modifiedAfter(T0 + 9_999, 200, 0));
        assertEquals(250, rest.total());
    }

    @Test
    void searchFiltersOrGroupsAndAndsFiltersSortsAndBreaksTiesById() {
        String a = contact(1, T0);
        String b = contact(2, T0);
        String c = contact(3, T0 + 5);
        store.update("contacts", b, Map.of("hs_lead_status", "UNQUALIFIED"), "CRM_UI", T0 + 7);
        HubSpotStore.Search eqAt = new HubSpotStore.Search(List.of(
                List.of(new HubSpotStore.Filter("lastmodifieddate", "EQ", Long.toString(T0), null, null),
                        new HubSpotStore.Filter("hs_object_id", "GT", "0", null, null)),
                List.of(new HubSpotStore.Filter("hs_lead_status", "IN", null, null, List.of("unqualified")))),
                "hs_object_id", false, List.of(), 10, 0);
        List<String> ids = store.search("contacts", eqAt).results().stream().map(r -> (String) r.get("id")).toList();
        assertEquals(List.of(a, b), ids);
        HubSpotStore.Search byDateDesc = new HubSpotStore.Search(List.of(), "lastmodifieddate", true, List.of(), 10,
                0);
        assertEquals(List.of(b, c, a), store.search("contacts", byDateDesc).results().stream()
                .map(r -> (String) r.get("id")).toList());
        assertThrows(ApiException.class, () -> store.search("contacts", new HubSpotStore.Search(
                List.of(List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), null, false, List.of(), 10,
                0)));
    }

    @Test
    void batchReadAnswersFoundRecordsAndOneErrorNamingTheMissingIds() {
        String a = contact(1, T0);
        HubSpotStore.Batch batch = store.batchRead("contacts", List.of(a, "999", "998"), List.of("email"), List.of(),
                null);
        assertEquals(1, batch.results().size());
        assertEquals(1, batch.errors().size());
        assertEquals("OBJECT_NOT_FOUND", batch.errors().get(0).get("category"));
        assertEquals(Map.of("ids", List.of("999", "998")), batch.errors().get(0).get("context"));
        List<String> tooMany = IntStream.range(0, 101).mapToObj(Integer::toString).toList();
        assertEquals(400, assertThrows(ApiException.class, () -> store.batchRead("contacts", tooMany, List.of(),
                List.of(), null)).status());
    }

    @Test
    void batchUpdateWritesTheValidRecordsAndReportsEachInvalidOne() {
        String a = contact(1, T0);
        String b = contact(2, T0);
        List<HubSpotStore.Written> written = new ArrayList<>();
        HubSpotStore.Batch batch = store.batchUpdate("contacts", List.of(
                new HubSpotStore.Input(a, null, Map.of("hubspot_owner_id", "501")),
                new HubSpotStore.Input(b, null, Map.of("hs_lead_status", "MAYBE")),
                new HubSpotStore.Input("404", null, Map.of("firstname", "X")),
                new HubSpotStore.Input(b, null, Map.of("no_such_property", "1"))), "INTEGRATION", T0 + 1, written);
        assertEquals(1, batch.results().size());
        assertEquals(Map.of("hubspot_owner_id", "501"), written.get(0).changed());
        assertEquals(3, batch.errors().size());
        assertEquals("501", store.find("contacts", a).get("hubspot_owner_id"));
        assertNull(store.find("contacts", b).get("hs_lead_status"));
        assertTrue(String.valueOf(batch.errors().get(0).get("message")).contains("INVALID_OPTION"));
        assertEquals("OBJECT_NOT_FOUND", batch.errors().get(1).get("category"));
        assertTrue(String.valueOf(batch.errors().get(2).get("message")).contains("PROPERTY_DOESNT_EXIST"));
    }

    @Test
    void unknownOwnerIsRefusedAndAValidChangeIsKeptInThePropertyHistory() {
        String a = contact(1, T0);
        ApiException e = assertThrows(ApiException.class, () -> store.update("contacts", a,
                Map.of("hubspot_owner_id", "777"), "INTEGRATION", T0 + 1));
        assertTrue(String.valueOf(((Map<?, ?>) e.body()).get("message")).contains("INVALID_OWNER_ID"));
        store.update("contacts", a, Map.of("hs_lead_status", "OPEN"), "INTEGRATION", T0 + 2);
        store.update("contacts", a, Map.of("hs_lead_status", "CONNECTED"), "CRM_UI", T0 + 3);
        Map<String, Object> r = store.get("contacts", a, List.of("hs_lead_status"), List.of("hs_lead_status"),
                null);
        List<?> history = (List<?>) ((Map<?, ?>) r.get("propertiesWithHistory")).get("hs_lead_status");
        assertEquals(2, history.size());
        assertEquals("CONNECTED", ((Map<?, ?>) history.get(0)).get("value"));
        assertEquals(HubSpotStore.iso(T0 + 3), ((Map<?, ?>) r.get("properties")).get("lastmodifieddate"));
    }

    @Test
    void upsertByEmailCreatesOrUpdatesAndSaysWhich() {
        String a = contact(1, T0);
        List<HubSpotStore.SimObject> created = new ArrayList<>();
        List<HubSpotStore.Written> updated = new ArrayList<>();
        HubSpotStore.Batch batch = store.batchUpsert("contacts", List.of(
                new HubSpotStore.Input("P1@acme.io", "email", Map.of("firstname", "Again")),
                new HubSpotStore.Input("new@acme.io", "email", Map.of("firstname", "New"))), "INTEGRATION", T0 + 1,
                created, updated);
        assertEquals(false, batch.results().get(0).get("new"));
        assertEquals(a, batch.results().get(0).get("id"));
        assertEquals(true, batch.results().get(1).get("new"));
        assertEquals(1, created.size());
        assertEquals("new@acme.io", store.find("contacts", created.get(0).id()).get("email"));
        assertThrows(ApiException.class, () -> store.batchUpsert("deals", List.of(new HubSpotStore.Input("x",
                "dealname", Map.of())), "INTEGRATION", T0, created, updated));
        assertEquals(409, assertThrows(ApiException.class, () -> store.create("contacts", Map.of("email",
                "p1@ACME.io"), List.of(), "FORM", T0)).status());
    }

    @Test
    void associationsV4ListTargetsAndReportIdsWithoutAny() {
        String c = contact(1, T0);
        String task = store.create("tasks", Map.of("hs_task_subject", "Call back", "hs_timestamp", "2026-11-24"),
                List.of(new long[] {204, Long.parseLong(c)}), "INTEGRATION", T0).id();
        HubSpotStore.Batch batch = store.associationsBatch("tasks", "contacts", List.of(task, "1"));
        assertEquals(1, batch.results().size());
        List<?> to = (List<?>) batch.results().get(0).get("to");
        assertEquals(Long.parseLong(c), ((Map<?, ?>) to.get(0)).get("toObjectId"));
        assertEquals(List.of("1"), ((Map<?, ?>) batch.errors().get(0).get("context")).get("ids"));
        assertEquals(List.of(task), store.associated("contacts", c, "tasks"));
        assertThrows(ApiException.class, () -> store.create("tasks", Map.of(), List.of(new long[] {204, 42}),
                "INTEGRATION", T0));
    }

    @Test
    void engagementIdsComeFromOneCounterAndTypesResolveFromTheirIds() {
        Set<String> ids = new HashSet<>();
        ids.add(store.create("calls", Map.of(), List.of(), "CRM_UI", T0).id());
        ids.add(store.create("emails", Map.of(), List.of(), "CRM_UI", T0).id());
        assertEquals(2, ids.size());
        assertEquals("calls", HubSpotStore.objectType("0-48"));
        assertFalse(ids.contains(null));
        assertEquals(400, assertThrows(ApiException.class, () -> HubSpotStore.objectType("widgets")).status());
    }
}
