package com.revops.gateway.sync;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

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
import io.restassured.response.Response;

/** A backfill of HubSpot contacts: every record becomes its canonical event, with progress to follow. */
@QuarkusTest
class SyncTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HubSpotFake HUBSPOT = HubSpotFakeResource.FAKE;
    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void fullBackfillTurnsEveryContactIntoOneLeadCreated() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "lead.created");
        Set<String> seeded = new HashSet<>();
        long base = ThreadLocalRandom.current().nextLong(1_000_000_000L, 2_000_000_000L);
        long now = System.currentTimeMillis();
        synchronized (HUBSPOT) {
            for (int i = 0; i < 1_000; i++) {
                Map<String, String> props = new HashMap<>();
                props.put("email", "backfill" + (base + i) + "@example.org");
                props.put("hs_lead_status", "NEW");
                // 400 of them share one timestamp
                props.put("lastmodifieddate", Long.toString(i < 400 ? now - 60_000 : now - 60_000 + i));
                HUBSPOT.contacts.put(base + i, props);
                seeded.add(Long.toString(base + i));
            }
        }
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        Response started = given().auth().oauth2(admin).when().post("/admin/sync/hubspot/contacts?mode=full");
        started.then().statusCode(202).body("status", equalTo("RUNNING"));
        String id = started.path("id");
        assertTrue(started.getHeader("Location").endsWith("/admin/sync/jobs/" + id));
        // one active run per CRM and object
        given().auth().oauth2(admin).when().post("/admin/sync/hubspot/contacts?mode=full").then().statusCode(409)
                .contentType("application/problem+json");

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> given().auth().oauth2(admin)
                .when().get("/admin/sync/jobs/" + id).then().statusCode(200).body("status", equalTo("DONE")));
        JsonNode job = JSON.readTree(given().auth().oauth2(admin).when().get("/admin/sync/jobs/" + id).asString());
        assertTrue(job.path("done").asLong() >= 1_000, job.toString());
        assertEquals(job.path("done").asLong(), job.path("estimatedTotal").asLong(), job.toString());
        assertEquals(100.0, job.path("percent").asDouble());

        Set<String> created = new HashSet<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !created.containsAll(seeded)) {
            for (Received r : rabbit.await(queue, 500, Duration.ofMillis(500))) {
                String crmId = JSON.readTree(r.body()).path("data").path("crmId").asText();
                if (seeded.contains(crmId)) {
                    assertTrue(created.add(crmId), "one lead.created per contact: " + crmId);
                }
            }
        }
        assertEquals(seeded, created);
    }

    @Test
    void unsupportedObjectsUnknownCrmsAndOtherRolesAreRefused() {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).when().post("/admin/sync/hubspot/notes").then().statusCode(422)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).when().post("/admin/sync/salesforce/users").then().statusCode(422)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).when().post("/admin/sync/pipedrive/contacts").then().statusCode(404);
        given().auth().oauth2(admin).when().post("/admin/sync/hubspot/contacts?mode=sometimes").then()
                .statusCode(400);
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER))
                .when().post("/admin/sync/hubspot/contacts").then().statusCode(403);
    }
}
