package com.revops.gateway.crm.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;

/** REST operations, limits, retries and error mapping against {@link SalesforceFake}. */
class SalesforceClientTest {

    static final ObjectMapper MAPPER = new ObjectMapper();

    SalesforceFake fake;
    SalesforceClient client;

    @BeforeEach
    void start() throws Exception {
        fake = new SalesforceFake(null);
        client = new SalesforceClient(fake.config().build());
    }

    @AfterEach
    void stop() throws Exception {
        client.close();
        fake.close();
    }

    // --- records -------------------------------------------------------------------------------------------------

    @Test
    void getRecordAsksOnlyForTheListedFields() {
        String id = lead("Martin", "Open - Not Contacted");

        Map<String, Object> record = client.getRecord("Lead", id, "LastName", "Status");

        assertEquals("Martin", record.get("LastName"));
        assertEquals("Open - Not Contacted", record.get("Status"));
        assertFalse(record.containsKey("Company"));
        assertEquals("LastName,Status", only().getRequestUrl().queryParameter("fields"));
    }

    @Test
    void unknownRecordIsNotFound() {
        SalesforceNotFoundException e = assertThrows(SalesforceNotFoundException.class,
                () -> client.getRecord("Lead", "00QFAKE99999999AAA"));
        assertEquals(404, e.status());
        assertEquals("NOT_FOUND", e.errorCode());
        assertEquals(1, fake.apiRequests().size(), "a 404 is not retried");
    }

    @Test
    void createRecordReturnsTheNewId() {
        String id = client.createRecord("Lead", Map.of("LastName", "Dupont", "Company", "Acme"));

        assertTrue(id.startsWith("00Q"), id);
        assertEquals("Dupont", fake.record("Lead", id).get("LastName"));
        assertEquals("POST", only().getMethod());
    }

    @Test
    void errorArrayBecomesATypedExceptionWithCodeAndFields() {
        SalesforceException e = assertThrows(SalesforceException.class,
                () -> client.createRecord("Lead", Map.of("Email", "zoe@example.fr")));

        assertEquals(SalesforceException.class, e.getClass(), "a validation error is none of the special cases");
        assertEquals(400, e.status());
        assertEquals("REQUIRED_FIELD_MISSING", e.errorCode());
        assertEquals(List.of("LastName", "Company"), e.fields());
        assertTrue(e.salesforceMessage().startsWith("Required fields are missing"), e.salesforceMessage());
        assertTrue(e.getMessage().contains("HTTP 400 REQUIRED_FIELD_MISSING"), e.getMessage());
        assertEquals(1, fake.apiRequests().size(), "a 400 is not retried");
    }

    @Test
    void nonJsonErrorBodyIsReportedNotCrashedOn() {
        fake.failNext(400, "text/html", "<html><body><h1>Bad Request</h1> proxy said no</body></html>");

        SalesforceException e = assertThrows(SalesforceException.class, () -> client.getRecord("Lead", "00Qx"));

        assertEquals(400, e.status());
        assertNull(e.errorCode());
        assertTrue(e.salesforceMessage().contains("proxy said no"), e.salesforceMessage());
    }

    // --- owner writes ----------------------------------------------------------------------------------------------

    @Test
    void settingOwnerIdSwitchesOffAssignmentRules() {
        String id = lead("Martin", "Open - Not Contacted");

        client.updateRecord("Lead", id, Map.of("OwnerId", "005FAKE000000002AAA"));
        client.updateRecord("Lead", id, Map.of("Status", "Working - Contacted"));
        client.updateRecord("Lead", id, Map.of("Status", "Working - Contacted"), true);
        client.upsertByExternalId("Lead", "External_Id__c", "hs-1",
                Map.of("LastName", "Zoe", "Company", "Acme", "OwnerId", "005FAKE000000002AAA"));
        client.createRecord("Lead", Map.of("LastName", "Lee", "Company", "Acme", "OwnerId", "005FAKE000000002AAA"));
        client.compositeUpdate("Lead", List.of(Map.of("id", id, "OwnerId", "005FAKE000000003AAA")));

        List<String> autoAssign = new ArrayList<>();
        fake.apiRequests().forEach(r -> autoAssign.add(r.getHeader("Sforce-Auto-Assign")));
        assertEquals(Arrays.asList("FALSE", null, "FALSE", "FALSE", "FALSE", "FALSE"), autoAssign);
        assertEquals("005FAKE000000003AAA", fake.record("Lead", id).get("OwnerId"));
    }

    // --- upsert --------------------------------------------------------------------------------------------------

    @Test
    void upsertAnswers201ThenUpdates200() {
        UpsertResult created = client.upsertByExternalId("Lead", "External_Id__c", "hs/42",
                Map.of("LastName", "Zoe", "Company", "Acme"));
        UpsertResult updated = client.upsertByExternalId("Lead", "External_Id__c", "hs/42",
                Map.of("Status", "Working - Contacted"));

        assertTrue(created.created());
        assertNotNull(created.id());
        assertEquals(new UpsertResult(created.id(), false), updated);
        assertEquals("Working - Contacted", fake.record("Lead", created.id()).get("Status"));
        // The value is one path segment even with a '/' in it.
        assertTrue(fake.apiRequests().get(0).getPath().endsWith("/sobjects/Lead/External_Id__c/hs%2F42"),
                fake.apiRequests().get(0).getPath());
    }

    @Test
    void upsertUpdateOnAnOldApiVersionAnswers204WithoutBody() {
        String id = fake.insert("Lead", Map.of("LastName", "Zoe", "Company", "Acme", "External_Id__c", "hs-7"));
        try (SalesforceClient old = new SalesforceClient(fake.config().apiVersion("v45.0").build())) {
            UpsertResult result = old.upsertByExternalId("Lead", "External_Id__c", "hs-7",
                    Map.of("Status", "Working - Contacted"));

            assertEquals(new UpsertResult(null, false), result);
        }
        assertEquals("Working - Contacted", fake.record("Lead", id).get("Status"));
        assertTrue(fake.apiRequests().get(0).getPath().startsWith("/services/data/v45.0/"));
    }

    @Test
    void upsertMatchingSeveralRecordsIsATypedException() {
        String first = fake.insert("Lead", Map.of("LastName", "A", "Company", "Acme", "External_Id__c", "dup"));
        String second = fake.insert("Lead", Map.of("LastName", "B", "Company", "Acme", "External_Id__c", "dup"));

        SalesforceMultipleMatchesException e = assertThrows(SalesforceMultipleMatchesException.class,
                () -> client.upsertByExternalId("Lead", "External_Id__c", "dup", Map.of("Status",
                        "Working - Contacted")));

        assertEquals(300, e.status());
        assertEquals(2, e.candidates().size());
        assertTrue(e.candidates().get(0).endsWith(first) && e.candidates().get(1).endsWith(second),
                e.candidates().toString());
        assertNull(fake.record("Lead", first).get("Status"), "nothing written");
        assertEquals(1, fake.apiRequests().size(), "a 300 is not followed nor retried");
    }

    // --- sObject Collections -------------------------------------------------------------------------------------

    @Test
    void compositeUpdateOf450RecordsSends200Then200Then50AndReportsTheFailedRecord() throws Exception {
        List<Map<String, Object>> updates = new ArrayList<>();
        for (int i = 0; i < 450; i++) {
            Map<String, Object> update = new HashMap<>();
            update.put("id", lead("Lead" + i, "Open - Not Contacted"));
            update.put("Status", i == 317 ? "Maybe Later" : "Working - Contacted");
            updates.add(update);
        }
        String badId = (String) updates.get(317).get("id");

        List<RecordResult> results = client.compositeUpdate("Lead", updates);

        List<Integer> sizes = new ArrayList<>();
        for (RecordedRequest request : fake.apiRequests()) {
            assertEquals("PATCH", request.getMethod());
            assertEquals("/services/data/v67.0/composite/sobjects", request.getPath());
            JsonNode body = MAPPER.readTree(request.getBody().clone().readUtf8());
            assertFalse(body.path("allOrNone").asBoolean(true), "allOrNone must be sent as false");
            assertEquals("Lead", body.path("records").get(0).path("attributes").path("type").asText());
            sizes.add(body.path("records").size());
        }
        assertEquals(List.of(200, 200, 50), sizes);

        assertEquals(450, results.size());
        assertEquals(449, results.stream().filter(RecordResult::success).count());
        RecordResult failed = results.get(317);
        assertFalse(failed.success());
        assertEquals(badId, failed.id(), "Salesforce omits the id of a failed record; the client fills it in");
        assertEquals(1, failed.errors().size());
        assertEquals("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", failed.errors().get(0).statusCode());
        assertEquals(List.of("Status"), failed.errors().get(0).fields());
        assertEquals(updates.get(0).get("id"), results.get(0).id());
        assertEquals("Working - Contacted", fake.record("Lead", (String) updates.get(449).get("id")).get("Status"));
        assertEquals("Open - Not Contacted", fake.record("Lead", badId).get("Status"), "the bad record untouched");
    }

    // --- query ---------------------------------------------------------------------------------------------------

    @Test
    void queryFollowsNextRecordsUrlUntilDone() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(lead("Lead" + i, "Open - Not Contacted"));
        }
        fake.pageSize(2);

        List<Map<String, Object>> rows = client.query("SELECT Id, LastName FROM Lead");

        assertEquals(ids, rows.stream().map(r -> r.get("Id")).toList());
        List<RecordedRequest> calls = fake.apiRequests();
        assertEquals(3, calls.size());
        assertEquals("SELECT Id, LastName FROM Lead", calls.get(0).getRequestUrl().queryParameter("q"));
        assertTrue(calls.get(1).getPath().matches("/services/data/v67.0/query/01gFAKE\\d+-2"), calls.get(1).getPath());
        assertTrue(calls.get(2).getPath().matches("/services/data/v67.0/query/01gFAKE\\d+-4"), calls.get(2).getPath());
    }

    @Test
    void streamingQueryHandsOverOnePageAtATime() {
        for (int i = 0; i < 5; i++) {
            lead("Lead" + i, "Open - Not Contacted");
        }
        fake.pageSize(2);
        List<QueryPage> pages = new ArrayList<>();

        client.query("SELECT Id FROM Lead", pages::add);

        assertEquals(List.of(2, 2, 1), pages.stream().map(p -> p.records().size()).toList());
        assertEquals(List.of(false, false, true), pages.stream().map(QueryPage::done).toList());
        assertEquals(5, pages.get(0).totalSize());
        assertNull(pages.get(2).nextRecordsUrl());
    }

    @Test
    void aConsumerThatThrowsStopsThePaging() {
        for (int i = 0; i < 5; i++) {
            lead("Lead" + i, "Open - Not Contacted");
        }
        fake.pageSize(2);

        assertThrows(IllegalStateException.class, () -> client.query("SELECT Id FROM Lead", page -> {
            throw new IllegalStateException("downstream full");
        }));
        assertEquals(1, fake.apiRequests().size());
    }

    // --- limits --------------------------------------------------------------------------------------------------

    @Test
    void apiUsageIsReadFromEveryAnswerIgnoringThePerAppCounter() {
        fake.usage(17, 15000);
        assertNull(client.apiUsage());

        client.query("SELECT Id FROM Lead");

        // The fake answers "per-app-api-usage=18/5000(...); api-usage=18/15000": the org-wide counter wins.
        assertEquals(new ApiUsage(18, 15000), client.apiUsage());
    }

    @Test
    void quotaCeilingStopsCallsBeforeTheyAreSent() {
        fake.usage(79, 100);
        String id = lead("Martin", "Open - Not Contacted");

        client.getRecord("Lead", id); // answered with api-usage=80/100: the 0.8 ceiling is now reached

        SalesforceQuotaExceededException e = assertThrows(SalesforceQuotaExceededException.class,
                () -> client.getRecord("Lead", id));
        assertTrue(e.stoppedBeforeSending());
        assertEquals(SalesforceException.NO_RESPONSE, e.status());
        assertEquals("REQUEST_LIMIT_EXCEEDED", e.errorCode());
        assertEquals(new ApiUsage(80, 100), e.usage());
        assertEquals(1, fake.apiRequests().size(), "the second call never reached Salesforce");
        assertEquals(80, fake.used());
    }

    @Test
    void refreshingTheUsageLetsAStoppedClientResume() {
        fake.usage(79, 100);
        String id = lead("Martin", "Open - Not Contacted");
        client.getRecord("Lead", id);
        assertThrows(SalesforceQuotaExceededException.class, () -> client.getRecord("Lead", id));

        fake.usage(40, 100); // the rolling 24 h window moved on

        assertEquals(new ApiUsage(41, 100), client.refreshApiUsage());
        client.getRecord("Lead", id);
        assertEquals(3, fake.apiRequests().size());
    }

    @Test
    void requestLimitExceededIsNeverRetried() {
        fake.usage(15000, 15000);

        SalesforceQuotaExceededException e = assertThrows(SalesforceQuotaExceededException.class,
                () -> client.getRecord("Lead", "00QFAKE00000001AAA"));

        assertEquals(403, e.status());
        assertEquals("REQUEST_LIMIT_EXCEEDED", e.errorCode());
        assertFalse(e.stoppedBeforeSending());
        assertEquals(new ApiUsage(15000, 15000), e.usage());
        assertEquals(1, fake.apiRequests().size());

        // And the client now knows: the next call stops locally.
        assertTrue(assertThrows(SalesforceQuotaExceededException.class,
                () -> client.getRecord("Lead", "00QFAKE00000001AAA")).stoppedBeforeSending());
        assertEquals(1, fake.apiRequests().size());
    }

    // --- retries -------------------------------------------------------------------------------------------------

    @Test
    void serviceUnavailableIsRetried() {
        String id = lead("Martin", "Open - Not Contacted");
        fake.failNext(503, "application/json",
                "[{\"message\":\"Server unavailable\",\"errorCode\":\"SERVER_UNAVAILABLE\"}]");

        assertEquals("Martin", client.getRecord("Lead", id, "LastName").get("LastName"));
        assertEquals(2, fake.apiRequests().size());
    }

    @Test
    void serviceUnavailableThreeTimesGivesUpAfterThreeAttempts() {
        String id = lead("Martin", "Open - Not Contacted");
        for (int i = 0; i < 3; i++) {
            fake.failNext(503, "text/html", "<html>Service Unavailable</html>");
        }

        SalesforceUnavailableException e = assertThrows(SalesforceUnavailableException.class,
                () -> client.getRecord("Lead", id));

        assertEquals(503, e.status());
        assertEquals(3, fake.apiRequests().size());
    }

    @Test
    void readTimeoutIsRetried() throws Exception {
        String id = lead("Martin", "Open - Not Contacted");
        fake.failNext(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        try (SalesforceClient quick = new SalesforceClient(fake.config().readTimeout(Duration.ofMillis(300))
                .build())) {
            quick.updateRecord("Lead", id, Map.of("Status", "Working - Contacted"));
        }
        assertEquals(2, fake.apiRequests().size());
        assertEquals("Working - Contacted", fake.record("Lead", id).get("Status"));
    }

    @Test
    void createIsNotReplayedAfterATimeoutBecauseItMayHaveBeenApplied() {
        fake.failNext(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
        try (SalesforceClient quick = new SalesforceClient(fake.config().readTimeout(Duration.ofMillis(300))
                .build())) {
            SalesforceUnavailableException e = assertThrows(SalesforceUnavailableException.class,
                    () -> quick.createRecord("Lead", Map.of("LastName", "Dupont", "Company", "Acme")));
            assertEquals(SalesforceException.NO_RESPONSE, e.status());
        }
        assertEquals(1, fake.apiRequests().size());
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private String lead(String lastName, String status) {
        return fake.insert("Lead", Map.of("LastName", lastName, "Company", "Acme", "Status", status));
    }

    private RecordedRequest only() {
        assertEquals(1, fake.apiRequests().size());
        return fake.apiRequests().get(0);
    }
}
