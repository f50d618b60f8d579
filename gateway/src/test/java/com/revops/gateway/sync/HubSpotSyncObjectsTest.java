package com.revops.gateway.sync;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.hubspot.HubSpotFake;
import com.revops.gateway.crm.hubspot.HubSpotFakeResource;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * HubSpot sync of the objects other than contacts: deals past the 10,000-result search cap (re-windowed, each read
 * once) with their associations, engagements with their contacts, companies into account identities.
 */
@QuarkusTest
class HubSpotSyncObjectsTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HubSpotFake HUBSPOT = HubSpotFakeResource.FAKE;
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

    String admin() {
        return KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
    }

    JsonNode run(String object) throws Exception {
        String admin = admin();
        String id = given().auth().oauth2(admin).when().post("/admin/sync/hubspot/" + object + "?mode=full").then()
                .statusCode(202).body("status", equalTo("RUNNING")).extract().path("id");
        await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofMillis(500)).until(() -> "DONE".equals(
                given().auth().oauth2(admin).when().get("/admin/sync/jobs/" + id).then().extract().path("status")));
        return JSON.readTree(given().auth().oauth2(admin).when().get("/admin/sync/jobs/" + id).asString());
    }

    long count(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).map(r -> r.iterator().next().getLong(0)).await()
                .atMost(Duration.ofSeconds(10));
    }

    JsonNode awaitEvent(String queue, String crmId, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : rabbit.await(queue, 500, Duration.ofMillis(500))) {
                JsonNode data = JSON.readTree(r.body()).path("data");
                if (crmId.equals(data.path("crmId").asText())) {
                    return data;
                }
            }
        }
        return null;
    }

    @Test
    void dealsPastTheSearchCapAreReWindowedReadOnceAndCarryTheirAssociations() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "deal.changed");
        long base = ThreadLocalRandom.current().nextLong(100_000_000_000L, 200_000_000_000L);
        long now = System.currentTimeMillis();
        Set<String> seeded = new HashSet<>();
        long contact = base - 1;
        long company = base - 2;
        synchronized (HUBSPOT) {
            for (int i = 0; i < 10_250; i++) {
                Map<String, String> p = new HashMap<>();
                p.put("dealname", "Deal " + i);
                p.put("dealstage", "appointmentscheduled");
                p.put("amount", "1000");
                p.put("createdate", Long.toString(now - 7_200_000));
                // 400 deals share one timestamp across the 10,000th result
                p.put("hs_lastmodifieddate", Long.toString(i >= 9_800 && i < 10_200 ? now - 3_600_000 + 9_800
                        : now - 3_600_000 + i));
                HUBSPOT.deals.put(base + i, p);
                seeded.add(Long.toString(base + i));
            }
            HUBSPOT.associations.put("deals|contacts|" + base, List.of(Long.toString(contact)));
            HUBSPOT.associations.put("deals|companies|" + base, List.of(Long.toString(company)));
        }
        long dealsInFake;
        synchronized (HUBSPOT) {
            dealsInFake = HUBSPOT.deals.size();
        }
        JsonNode job = run("deals");
        assertEquals(dealsInFake, job.path("done").asLong(), "every deal once: " + job);
        assertEquals(dealsInFake, job.path("estimatedTotal").asLong());
        List<String> stored = new ArrayList<>();
        pool.preparedQuery("SELECT object_id FROM webhook_event WHERE crm = 'hubspot' AND subscription_type = "
                + "'sync.deal' AND object_id >= $1").execute(Tuple.of(Long.toString(base))).await()
                .atMost(Duration.ofSeconds(10)).forEach(r -> stored.add(r.getString(0)));
        Set<String> mine = new HashSet<>(stored);
        mine.retainAll(seeded);
        assertEquals(seeded, mine, "no deal lost");

        JsonNode deal = awaitEvent(queue, Long.toString(base), Duration.ofSeconds(60));
        assertTrue(deal != null, "deal.changed of the first synced deal");
        assertEquals("hubspot", deal.path("crm").asText());
        assertEquals("appointmentscheduled", deal.path("stage").asText());
        assertEquals(Long.toString(contact), deal.path("contacts").asText(), "contacts from the sync's associations");
        assertEquals(Long.toString(company), deal.path("companies").asText());
        // the backlog is the normaliser's: wait until it is drained so later tests do not queue behind it
        await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).until(() -> count(
                "SELECT count(*) FROM webhook_event WHERE subscription_type = 'sync.deal' AND status = 'PENDING'")
                == 0);
    }

    @Test
    void callsAreSyncedIntoActivityLoggedWithTheirContactAndCompaniesIntoAccounts() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "activity.logged");
        long call = HubSpotFake.nextId();
        long contact = HubSpotFake.nextId();
        long companyId = HubSpotFake.nextId();
        String domain = "synced-" + companyId + ".example";
        String at = java.time.Instant.now().minusSeconds(600).toString();
        synchronized (HUBSPOT) {
            Map<String, String> p = new HashMap<>();
            p.put("hs_timestamp", at);
            p.put("hs_lastmodifieddate", at);
            p.put("hs_createdate", at);
            p.put("hubspot_owner_id", "301");
            p.put("hs_call_direction", "OUTBOUND");
            p.put("hs_call_status", "COMPLETED");
            p.put("hs_call_title", "Synced call");
            HUBSPOT.engagements.get("calls").put(call, p);
            HUBSPOT.associations.put("calls|contacts|" + call, List.of(Long.toString(contact)));
            HUBSPOT.companies.put(companyId, new HashMap<>(Map.of("name", "Synced Co", "domain", domain,
                    "hs_lastmodifieddate", Long.toString(System.currentTimeMillis() - 60_000))));
        }
        JsonNode calls = run("calls");
        assertTrue(calls.path("done").asLong() >= 1, calls.toString());
        JsonNode logged = awaitEvent(queue, Long.toString(call), Duration.ofSeconds(60));
        assertTrue(logged != null, "activity.logged of the synced call");
        assertEquals("call", logged.path("type").asText());
        assertEquals("completed", logged.path("outcome").asText());
        assertEquals(Long.toString(contact), logged.path("crmPersonId").asText());
        assertEquals("301", logged.path("ownerId").asText());

        run("companies");
        await().atMost(Duration.ofSeconds(30)).until(() -> count("""
                SELECT count(*) FROM crm_object_state s JOIN account_identity a ON a.account_id = s.entity_id
                 WHERE s.crm = 'hubspot' AND s.object_type = 'company' AND s.object_id = $1 AND a.domain = $2""",
                Long.toString(companyId), domain) == 1);
    }
}
