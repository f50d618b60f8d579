package com.revops.sandbox.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SoqlAndPagingTest {

    private static final long T0 = 1_795_480_000_000L;
    private SalesforceStore store;
    private String user;

    @BeforeEach
    void org() {
        store = new SalesforceStore(new SalesforceIds("Sb"), "v67.0", List.of("Open - Not Contacted",
                "Working - Contacted", "Unqualified"));
        Map<String, Object> u = new LinkedHashMap<>();
        u.put("Username", "int@x.io");
        u.put("LastName", "Integration");
        u.put("IsActive", true);
        user = store.create("User", u, "005000000000000AAA", T0);
        for (int i = 0; i < 450; i++) {
            Map<String, Object> lead = new LinkedHashMap<>();
            lead.put("LastName", "L" + i);
            lead.put("Company", "C" + (i % 7));
            lead.put("Email", "l" + i + "@acme.io");
            store.create("Lead", lead, user, T0 + (i / 10) * 1000L);
        }
    }

    @Test
    void idsCarryTheCaseSafeSuffix() {
        assertEquals("001A0000006Vm9rIAC", SalesforceIds.to18("001A0000006Vm9r"));
        assertTrue(SalesforceIds.same("001A0000006Vm9r", "001A0000006Vm9rIAC"));
        assertEquals("Lead", SalesforceIds.sobjectOf(store.all("Lead").get(0).get("Id").toString()));
    }

    @Test
    void nextRecordsUrlPagesThroughEveryRowOnceAndThenIsDone() {
        QueryCursors cursors = new QueryCursors("v67.0", 10);
        Soql.Query q = Soql.parse("SELECT Id, SystemModstamp FROM Lead WHERE SystemModstamp >= "
                + "2026-11-24T00:00:00Z ORDER BY SystemModstamp, Id", T0);
        List<Map<String, Object>> rows = Soql.run(q, store.all("Lead"));
        QueryCursors.Page page = cursors.first(rows, 200);
        Set<Object> seen = new HashSet<>();
        int pages = 1;
        page.records().forEach(r -> seen.add(r.get("Id")));
        while (!page.done()) {
            String next = page.nextRecordsUrl();
            assertTrue(next.startsWith("/services/data/v67.0/query/01g"), next);
            page = cursors.next(next.substring(next.lastIndexOf('/') + 1), 200);
            page.records().forEach(r -> seen.add(r.get("Id")));
            pages++;
        }
        assertEquals(450, page.totalSize());
        assertEquals(3, pages);
        assertEquals(450, seen.size());
        assertNull(page.nextRecordsUrl());
        ApiException spent = assertThrows(ApiException.class, () -> cursors.next("01gSB0000000001-400", 200));
        assertEquals("INVALID_QUERY_LOCATOR", ((Map<?, ?>) ((List<?>) spent.body()).get(0)).get("errorCode"));
    }

    @Test
    void whereInMatchesFifteenCharacterIdsAndStringsWithoutCase() {
        List<Map<String, Object>> leads = store.all("Lead");
        String id15 = leads.get(3).get("Id").toString().substring(0, 15);
        List<Map<String, Object>> rows = Soql.run(Soql.parse("SELECT Id FROM Lead WHERE Id IN ('" + id15
                + "', 'nope') OR (email = 'L7@ACME.IO' AND NOT Company = 'C1')", T0), leads);
        assertEquals(2, rows.size());
        assertEquals(65, Soql.run(Soql.parse("SELECT COUNT() FROM Lead WHERE Company LIKE 'c1%'", T0), leads)
                .size());
        List<Map<String, Object>> limited = Soql.run(Soql.parse("select Id, LastName from lead order by "
                + "CreatedDate desc, LastName limit 5 offset 2", T0), leads);
        assertEquals(5, limited.size());
    }

    @Test
    void theGatewaysSyncWindowQueryAndItsCountAgree() {
        String where = " WHERE SystemModstamp >= 2026-11-24T00:00:00.000Z AND SystemModstamp <= "
                + SalesforceStore.datetime(T0 + 9_000).replace("+0000", "Z");
        List<Map<String, Object>> rows = Soql.run(Soql.parse("SELECT Id, SystemModstamp, LastModifiedDate, "
                + "CreatedDate, LastModifiedById, Email, Channel__c FROM Lead" + where
                + " ORDER BY SystemModstamp ASC, Id ASC", T0), store.all("Lead"));
        assertEquals(100, rows.size(), "ten seconds of leads, ten per second");
        Soql.Query count = Soql.parse("SELECT COUNT() FROM Lead" + where, T0);
        assertTrue(count.count());
        assertEquals(rows.size(), Soql.run(count, store.all("Lead")).size());
    }

    @Test
    void badQueriesAnswerSalesforceErrorCodes() {
        assertEquals("INVALID_FIELD", code(() -> Soql.parse("SELECT Id, Bogus FROM Lead", T0)));
        assertEquals("MALFORMED_QUERY", code(() -> Soql.parse("SELECT Id Lead", T0)));
        assertEquals("INVALID_TYPE", code(() -> Soql.parse("SELECT Id FROM Widget", T0)));
        assertEquals("MALFORMED_QUERY", code(() -> Soql.parse("SELECT Id FROM Lead WHERE Name = 'x", T0)));
    }

    @Test
    void writesValidatePicklistsReferencesAndReadOnlyFields() {
        String lead = store.all("Lead").get(0).get("Id").toString();
        assertEquals("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", field(() -> store.update("Lead", lead,
                Map.of("Status", "Maybe"), user, T0)));
        assertEquals("INVALID_CROSS_REFERENCE_KEY", field(() -> store.update("Lead", lead,
                Map.of("OwnerId", "005Sb0000000099"), user, T0)));
        assertEquals("MALFORMED_ID", field(() -> store.update("Lead", lead, Map.of("OwnerId", "xyz"), user, T0)));
        assertEquals("INVALID_FIELD_FOR_INSERT_UPDATE", field(() -> store.update("Lead", lead,
                Map.of("LastModifiedDate", "x"), user, T0)));
        assertEquals("REQUIRED_FIELD_MISSING", field(() -> store.create("Lead", Map.of("LastName", "x"), user, T0)));
        Map<String, Object> changed = store.update("Lead", lead, Map.of("Status", "Unqualified",
                "Disqualification_Reason__c", "no-budget"), user, T0 + 5);
        assertEquals(2, changed.size());
        assertEquals(SalesforceStore.datetime(T0 + 5), store.find("Lead", lead).get("SystemModstamp"));
        assertEquals(user, store.find("Lead", lead.substring(0, 15)).get("LastModifiedById"));
    }

    @Test
    void opportunityStageChangesLeaveHistoryAndCampaignMembershipIsUnique() {
        Map<String, Object> opp = new LinkedHashMap<>();
        opp.put("Name", "Deal");
        opp.put("StageName", "Prospecting");
        opp.put("CloseDate", "2026-12-31");
        String id = store.create("Opportunity", opp, user, T0);
        store.update("Opportunity", id, Map.of("StageName", "Closed Won"), user, T0 + 1);
        assertEquals(true, store.find("Opportunity", id).get("IsWon"));
        List<Map<String, Object>> history = Soql.run(Soql.parse("SELECT StageName FROM OpportunityHistory WHERE "
                + "OpportunityId = '" + id + "' ORDER BY CreatedDate", T0), store.all("OpportunityHistory"));
        assertEquals(List.of("Prospecting", "Closed Won"), history.stream().map(h -> h.get("StageName")).toList());
        String campaign = store.create("Campaign", Map.of("Name", "Webinar"), user, T0);
        String lead = store.all("Lead").get(0).get("Id").toString();
        store.create("CampaignMember", Map.of("CampaignId", campaign, "LeadId", lead), user, T0);
        assertEquals("DUPLICATE_VALUE", field(() -> store.create("CampaignMember", Map.of("CampaignId", campaign,
                "LeadId", lead), user, T0)));
    }

    @Test
    void upsertByExternalIdCreatesUpdatesOrAnswers300() {
        SalesforceStore.Upserted first = store.upsert("Lead", "External_Id__c", "ext-1", Map.of("LastName", "X",
                "Company", "Y"), user, T0);
        assertTrue(first.created());
        SalesforceStore.Upserted again = store.upsert("Lead", "External_Id__c", "ext-1", Map.of("LastName", "Z"),
                user, T0);
        assertEquals(first.id(), again.id());
        assertEquals(false, again.created());
        String other = store.all("Lead").get(0).get("Id").toString();
        store.update("Lead", other, Map.of("External_Id__c", "ext-1"), user, T0);
        ApiException several = assertThrows(ApiException.class, () -> store.upsert("Lead", "External_Id__c",
                "ext-1", Map.of(), user, T0));
        assertEquals(300, several.status());
        assertEquals(2, ((List<?>) several.body()).size());
    }

    private static String code(Runnable r) {
        ApiException e = assertThrows(ApiException.class, r::run);
        return String.valueOf(((Map<?, ?>) ((List<?>) e.body()).get(0)).get("errorCode"));
    }

    private static String field(Runnable r) {
        return assertThrows(SalesforceErrors.FieldError.class, r::run).code();
    }

    @SuppressWarnings("unused")
    private static List<Object> ids(List<Map<String, Object>> rows) {
        List<Object> out = new ArrayList<>();
        rows.forEach(r -> out.add(r.get("Id")));
        return out;
    }
}
