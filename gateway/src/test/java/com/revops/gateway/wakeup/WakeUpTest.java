package com.revops.gateway.wakeup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.hubspot.HubSpotFake;
import com.revops.gateway.crm.hubspot.HubSpotFakeResource;
import com.revops.gateway.webhooks.HubSpotSignatureVerifier;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;

/**
 * With the normaliser's and the executor's polls an hour apart, a stored webhook and a recorded command are still
 * handled at once: only the LISTEN/NOTIFY wake-up can have started them.
 */
@QuarkusTest
@TestProfile(WakeUpTest.HourlyPolls.class)
class WakeUpTest {

    /** Polls that never come during the test (their first run is at start-up, before the test sends anything). */
    public static class HourlyPolls implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.normaliser.poll-interval", "1h", "gateway.commands.poll-interval", "1h");
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    static final HubSpotFake HUBSPOT = HubSpotFakeResource.FAKE;
    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        rabbit.purge("gateway-test.crm-commands");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static long contact() {
        long id = ThreadLocalRandom.current().nextLong(10_000_000, 900_000_000);
        Map<String, String> props = new HashMap<>();
        props.put("email", "wake" + id + "@wake-" + id + ".example");
        props.put("hs_lead_status", "NEW");
        props.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
        synchronized (HUBSPOT) {
            HUBSPOT.contacts.put(id, props);
        }
        return id;
    }

    JsonNode awaitEvent(String queue, String field, String value, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : rabbit.await(queue, 10, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                if (value.equals(e.path("data").path(field).asText())) {
                    return e;
                }
            }
        }
        return null;
    }

    @Test
    void aStoredWebhookWakesTheNormaliser() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "lead.created");
        long contact = contact();
        long ts = System.currentTimeMillis();
        String body = "[{\"eventId\":" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)
                + ",\"subscriptionId\":77,\"portalId\":62515,\"appId\":99,\"occurredAt\":" + ts
                + ",\"subscriptionType\":\"contact.creation\",\"attemptNumber\":0,\"objectId\":" + contact
                + ",\"changeSource\":\"CRM_UI\"}]";
        RestAssured.given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3("test-hubspot-secret", "POST",
                        "http://localhost:8080/webhooks/hubspot", body.getBytes(StandardCharsets.UTF_8), ts))
                .header("X-HubSpot-Request-Timestamp", Long.toString(ts))
                .body(body).when().post("/webhooks/hubspot").then().statusCode(200);
        assertNotNull(awaitEvent(queue, "crmId", Long.toString(contact), Duration.ofSeconds(15)),
                "lead.created long before the next poll");
    }

    @Test
    void aRecordedCommandWakesTheExecutor() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        long contact = contact();
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "owner.assign", id, """
                {"specversion":"1.0","id":"%s","type":"owner.assign","source":"/lead-routing-service",
                 "subject":"lead/x","data":{"crm":"hubspot","objectType":"contact","objectId":"%d","ownerId":"404"}}"""
                .formatted(id, contact));
        JsonNode outcome = awaitEvent(queue, "commandId", id, Duration.ofSeconds(15));
        assertNotNull(outcome, "applied long before the next poll");
        assertEquals("command.succeeded", outcome.path("type").asText(), outcome.toString());
        assertEquals("404", HUBSPOT.contacts.get(contact).get("hubspot_owner_id"));
    }
}
