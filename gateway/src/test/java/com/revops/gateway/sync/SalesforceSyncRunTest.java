package com.revops.gateway.sync;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.salesforce.SalesforceFakeResource;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Salesforce sync runs against the documented fake: SOQL paged through {@code nextRecordsUrl}, a timestamp shared
 * across page boundaries, the quota ceiling (pause, then resume), a crashed run resumed from its cursor, and the
 * canonical events the normaliser derives from the synced records.
 */
@QuarkusTest
class SalesforceSyncRunTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final DateTimeFormatter SF = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    static RabbitTestClient rabbit;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @AfterEach
    void restoreOrg() {
        SalesforceFakeResource.pageSize(2000);
        SalesforceFakeResource.usage(0, 15000);
    }

    static String stamp(Instant at) {
        return SF.format(at);
    }

    /** Inserts {@code n} records, those from {@code sharedFrom} to {@code sharedTo} (exclusive) on one timestamp. */
    static List<String> seed(String type, int n, int sharedFrom, int sharedTo, java.util.function.IntFunction<
            Map<String, Object>> fields) {
        Instant base = Instant.now().minus(Duration.ofHours(2));
        Instant shared = base.plusSeconds(sharedFrom);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> f = new LinkedHashMap<>(fields.apply(i));
            Instant at = i >= sharedFrom && i < sharedTo ? shared : base.plusSeconds(i);
            f.put("SystemModstamp", stamp(at));
            f.put("LastModifiedDate", stamp(at));
            f.put("CreatedDate", stamp(base));
            f.put("LastModifiedById", "005PERSON0000001AAA");
            ids.add(SalesforceFakeResource.insert(type, f));
        }
        return ids;
    }

    String admin() {
        return KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
    }

    String start(String object) {
        Response started = given().auth().oauth2(admin()).when().post("/admin/sync/salesforce/" + object + "?mode=full");
        started.then().statusCode(202).body("status", equalTo("RUNNING")).body("crm", equalTo("salesforce"));
        return started.path("id");
    }

    JsonNode job(String id) throws Exception {
        return JSON.readTree(given().auth().oauth2(admin()).when().get("/admin/sync/jobs/" + id).then()
                .statusCode(200).extract().asString());
    }

    JsonNode awaitStatus(String id, String status, Duration wait) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(wait).pollInterval(Duration.ofMillis(250)).until(() -> {
            last[0] = job(id);
            return status.equals(last[0].path("status").asText());
        });
        return last[0];
    }

    /** The object ids the run stored as sync events, one row per record version. */
    List<String> storedIds(String type) {
        List<String> ids = new ArrayList<>();
        pool.preparedQuery("SELECT object_id FROM webhook_event WHERE crm = 'salesforce' AND subscription_type = $1")
                .execute(Tuple.of("sync." + type)).await().atMost(Duration.ofSeconds(10))
                .forEach(r -> ids.add(r.getString(0)));
        return ids;
    }

    @Test
    void leadsArePagedThroughNextRecordsUrlAcrossASharedTimestampIntoOneLeadCreatedEach() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "lead.created");
        SalesforceFakeResource.pageSize(100);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // 120 leads share one SystemModstamp across the boundaries of pages 1, 2 and 3
        List<String> ids = seed("Lead", 250, 60, 180, i -> Map.of("LastName", "Sync" + i, "Company", "Acme",
                "Email", "sf-" + tag + "-" + i + "@acme-" + tag + ".example", "Status", "Open - Not Contacted",
                "OwnerId", "005OWNER00000001AAA"));
        int queriesBefore = SalesforceFakeResource.queries().size();
        // other tests of the run may have left leads in the org: a full run reads them too
        long leads = SalesforceFakeResource.count("Lead", "SystemModstamp");

        String id = start("leads");
        JsonNode done = awaitStatus(id, "DONE", Duration.ofSeconds(60));
        assertEquals(leads, done.path("done").asLong(), done.toString());
        assertEquals(leads, done.path("estimatedTotal").asLong(), "from SELECT COUNT()");
        assertEquals(100.0, done.path("percent").asDouble());
        List<String> queries = SalesforceFakeResource.queries().subList(queriesBefore,
                SalesforceFakeResource.queries().size());
        assertEquals(1, queries.size(), "one query paged to its end, never re-run: " + queries);
        assertTrue(queries.get(0).contains("ORDER BY SystemModstamp ASC, Id ASC"), queries.get(0));
        assertEquals(250, storedIds("Lead").stream().filter(ids::contains).count(), "no record stored twice");
        assertTrue(storedIds("Lead").containsAll(ids), "no record lost");

        Set<String> created = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !created.containsAll(ids)) {
            for (Received r : rabbit.await(queue, 500, Duration.ofMillis(500))) {
                JsonNode data = JSON.readTree(r.body()).path("data");
                if (ids.contains(data.path("crmId").asText())) {
                    assertTrue(created.add(data.path("crmId").asText()), "one lead.created per lead");
                    assertEquals("salesforce", data.path("crm").asText());
                    assertEquals("005OWNER00000001AAA", data.path("owner").asText());
                }
            }
        }
        assertEquals(Set.copyOf(ids), created);

        // a second full run reads the same versions again: stored once, nothing new derived
        String again = start("leads");
        assertEquals(leads, awaitStatus(again, "DONE", Duration.ofSeconds(60)).path("done").asLong());
        assertEquals(250, storedIds("Lead").stream().filter(ids::contains).count());
    }

    @Test
    void theQuotaCeilingPausesTheRunWhichResumesFromItsCursorWhenTheOrgHasRoomAgain() throws Exception {
        SalesforceFakeResource.pageSize(50);
        String tag = UUID.randomUUID().toString().substring(0, 8);
        // 100 contacts share one timestamp across the page where the ceiling is reached
        List<String> ids = seed("Contact", 300, 120, 220, i -> Map.of("LastName", "Quota" + i,
                "Email", "q-" + tag + "-" + i + "@example.org"));
        // ceiling 0.8 of 15,000 = 12,000: COUNT() and three pages fit, the fourth page is not asked for
        SalesforceFakeResource.usage(11_996, 15_000);
        String id = start("contacts");

        JsonNode paused = awaitStatus(id, "PAUSED", Duration.ofSeconds(30));
        assertEquals(150, paused.path("done").asLong(), paused.toString());
        assertEquals(300, paused.path("estimatedTotal").asLong());
        assertTrue(paused.path("lastError").asText().contains("quota ceiling"), paused.toString());
        assertEquals(ids.get(149), paused.path("cursorId").asText());
        assertTrue(SalesforceFakeResource.used() <= 12_002, "stopped at the ceiling: " + SalesforceFakeResource.used());
        // due again every 2 s in tests: still over the ceiling (the usage is read again), so it stays paused
        Thread.sleep(3_000);
        assertEquals("PAUSED", job(id).path("status").asText());
        assertEquals(150, job(id).path("done").asLong());

        int queriesBefore = SalesforceFakeResource.queries().size();
        SalesforceFakeResource.usage(0, 15_000); // the rolling 24 h window freed the allocation
        JsonNode done = awaitStatus(id, "DONE", Duration.ofSeconds(30));
        assertEquals(300, done.path("done").asLong(), "no record handed out twice: " + done);
        assertEquals(Set.copyOf(ids), Set.copyOf(storedIds("Contact")), "no record lost");
        List<String> resumed = SalesforceFakeResource.queries().subList(queriesBefore,
                SalesforceFakeResource.queries().size());
        assertEquals(1, resumed.size(), resumed.toString());
        String cursorStamp = SalesforceSync.literal(OffsetDateTime.parse(paused.path("cursorSince").asText())
                .toInstant());
        assertTrue(resumed.get(0).contains("SystemModstamp >= " + cursorStamp), "resumed from the cursor, inclusive: "
                + resumed.get(0));
    }

    @Test
    void aRunWhoseReplicaDiedIsResumedFromItsCursorAndItsOpportunitiesBecomeDealChanged() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "deal.changed");
        SalesforceFakeResource.pageSize(30);
        // records 100 to 139 share one timestamp; the dead replica had stored up to record 119
        List<String> ids = seed("Opportunity", 200, 100, 140, i -> Map.of("Name", "Deal " + i,
                "StageName", "Prospecting", "Amount", 50_000.0 + i, "CloseDate", "2026-12-31",
                "OwnerId", "005OWNER00000001AAA", "AccountId", "001ACCOUNT0000001AAA"));
        Map<String, Object> cursorRecord = new HashMap<>(java.util.Objects.requireNonNull(
                SalesforceFakeResource.record("Opportunity", ids.get(119))));
        UUID job = UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO sync_job (id, crm, object_type, mode, status, cursor_since, cursor_id, until,
                                      estimated_total, done, started_at, lease_until)
                VALUES ($1, 'salesforce', 'opportunities', 'full', 'RUNNING', $2, $3, now(), 200, 120,
                        now() - interval '10 minutes', now() - interval '1 second')""")
                .execute(Tuple.of(job, SalesforceSync.instant(cursorRecord.get("SystemModstamp"))
                        .atOffset(ZoneOffset.UTC), ids.get(119)))
                .await().atMost(Duration.ofSeconds(10));

        JsonNode done = awaitStatus(job.toString(), "DONE", Duration.ofSeconds(60));
        assertEquals(200, done.path("done").asLong(), done.toString());
        List<String> stored = storedIds("Opportunity");
        assertEquals(Set.copyOf(ids.subList(120, 200)), Set.copyOf(stored), "only what the dead replica had not "
                + "stored, once each");
        assertEquals(80, stored.size());

        String watched = ids.get(150);
        JsonNode deal = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && deal == null) {
            for (Received r : rabbit.await(queue, 100, Duration.ofMillis(500))) {
                JsonNode data = JSON.readTree(r.body()).path("data");
                if (watched.equals(data.path("crmId").asText())) {
                    deal = data;
                }
            }
        }
        assertTrue(deal != null, "deal.changed for the synced opportunity");
        assertEquals("salesforce", deal.path("crm").asText());
        assertEquals("Prospecting", deal.path("stage").asText());
        assertEquals(50_150.0, Double.parseDouble(deal.path("amount").asText()));
        assertEquals("2026-12-31", deal.path("closeDate").asText());
        assertEquals("001ACCOUNT0000001AAA", deal.path("companies").asText());
        assertTrue(deal.path("isNew").asBoolean());
        assertEquals(UUID.nameUUIDFromBytes(("salesforce:deal:" + watched).getBytes()).toString(),
                deal.path("dealId").asText());
        assertFalse(deal.path("createdAt").asText().contains("+0000"), "createdAt as ISO-8601");
    }

    @Test
    void unknownObjectsAreRefused() {
        given().auth().oauth2(admin()).when().post("/admin/sync/salesforce/users").then().statusCode(422)
                .contentType("application/problem+json");
    }

    @Test
    void aLeadDeletedInTheOrgIsAnnouncedOnceByTheNextRunsAndNotAgain() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "contact.deleted");
        String email = "deleted-" + UUID.randomUUID().toString().substring(0, 8) + "@sync.example";
        String leadId = seed("Lead", 1, 0, 0, i -> Map.of("LastName", "Gone", "Company", "Gone Inc", "Email", email,
                "Status", "Open - Not Contacted")).get(0);
        awaitStatus(start("leads"), "DONE", Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("""
                SELECT count(*) FROM crm_object_state WHERE crm = 'salesforce' AND object_type = 'Lead'
                   AND object_id = $1""").execute(Tuple.of(leadId)).map(r -> r.iterator().next().getLong(0))
                .await().atMost(Duration.ofSeconds(5)) == 1);

        SalesforceFakeResource.delete("Lead", leadId, Instant.now());
        // a deleted record is no longer returned by SOQL: only /sobjects/Lead/deleted tells the run about it
        awaitStatus(start("leads"), "DONE", Duration.ofSeconds(30));
        awaitStatus(start("leads"), "DONE", Duration.ofSeconds(30)); // the same window read again
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("SELECT deleted FROM crm_object_state "
                + "WHERE crm = 'salesforce' AND object_type = 'Lead' AND object_id = $1").execute(Tuple.of(leadId))
                .map(r -> r.iterator().next().getBoolean(0)).await().atMost(Duration.ofSeconds(5)));

        List<JsonNode> deleted = new ArrayList<>();
        for (Received r : rabbit.await(queue, 100, Duration.ofSeconds(10))) {
            JsonNode e = JSON.readTree(r.body());
            if (leadId.equals(e.path("data").path("crmId").asText())) {
                deleted.add(e);
            }
        }
        assertEquals(1, deleted.size(), deleted.toString());
        assertEquals("salesforce", deleted.get(0).path("data").path("crm").asText());
        assertEquals(1L, pool.preparedQuery("SELECT count(*) FROM webhook_event WHERE object_id = $1 "
                + "AND subscription_type = 'sync.Lead.deletion'").execute(Tuple.of(leadId))
                .map(r -> r.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(5)),
                "stored once however often a run lists it");
    }
}
