package com.revops.gateway.commands;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;

/** Commands from the services, applied to HubSpot (the documented fake) once each, with outcomes published. */
@QuarkusTest
class CommandExecutorTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HubSpotFake HUBSPOT = HubSpotFakeResource.FAKE;
    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        // the other services' tests send commands on the same test exchange; their backlog is not ours to wait for
        rabbit.purge("gateway-test.crm-commands");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static long contact() {
        long id = ThreadLocalRandom.current().nextLong(10_000_000, 900_000_000);
        Map<String, String> props = new HashMap<>();
        props.put("email", "c" + id + "@example.com");
        props.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
        synchronized (HUBSPOT) {
            HUBSPOT.contacts.put(id, props);
        }
        return id;
    }

    static String command(String id, String type, String data) {
        return """
                {"specversion":"1.0","id":"%s","type":"%s","source":"/lead-routing-service","subject":"lead/x",
                 "data":%s}""".formatted(id, type, data);
    }

    List<String> writesFor(long contactId) {
        return HUBSPOT.writes.stream().filter(w -> w.contains("contacts/" + contactId + " ")
                || w.contains("\"" + contactId + "\"")).toList();
    }

    JsonNode outcome(String queue, String commandId, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : rabbit.await(queue, 1, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                if (commandId.equals(e.path("data").path("commandId").asText())) {
                    return e;
                }
            }
        }
        return null;
    }

    @Test
    void ownerAssignDeliveredTwiceIsAppliedOnceAndItsSuccessPublished() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        long contact = contact();
        String id = UUID.randomUUID().toString();
        String body = command(id, "owner.assign", """
                {"crm":"hubspot","objectType":"contact","objectId":"%d","ownerId":"303"}""".formatted(contact));
        rabbit.publish("crm.commands", "owner.assign", id, body);
        rabbit.publish("crm.commands", "owner.assign", id, body);

        JsonNode event = outcome(queue, id, Duration.ofSeconds(15));
        assertEquals("command.succeeded", event.path("type").asText());
        assertEquals("owner.assign", event.path("data").path("commandType").asText());
        assertEquals("303", HUBSPOT.contacts.get(contact).get("hubspot_owner_id"));
        Thread.sleep(1500);
        assertEquals(1, writesFor(contact).size(), "applied once: " + writesFor(contact));
        assertEquals(null, outcome(queue, id, Duration.ofSeconds(1)), "one outcome event");
    }

    @Test
    void taskCreateMakesATaskAssociatedWithTheContact() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        long contact = contact();
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "task.create", id, command(id, "task.create", """
                {"crm":"hubspot","objectId":"%d","subject":"Call Ana within 5 minutes (demo request)",
                 "dueAt":"2026-11-23T10:05:00Z","ownerId":"303"}""".formatted(contact)));
        assertEquals("command.succeeded", outcome(queue, id, Duration.ofSeconds(15)).path("type").asText());
        String write = writesFor(contact).get(0);
        assertTrue(write.startsWith("POST tasks"), write);
        assertTrue(write.contains("\"associationTypeId\":204"), write);
        assertTrue(write.contains("Call Ana within 5 minutes"), write);
    }

    @Test
    void transientHubSpotFailuresAreRetriedUntilTheCommandSucceeds() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        long contact = contact();
        // more 500s than the client retries in one go: the executor itself must come back later
        // (scripted for this contact only: other suites' commands on the shared test broker also call HubSpot)
        HUBSPOT.failNextFor("/contacts/" + contact, HubSpotFake.serverError(), HubSpotFake.serverError(),
                HubSpotFake.serverError(), HubSpotFake.serverError(), HubSpotFake.serverError());
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "lead.status.set", id, command(id, "lead.status.set", """
                {"crm":"hubspot","objectType":"contact","objectId":"%d","status":"UNQUALIFIED","reason":"NO_BUDGET"}"""
                .formatted(contact)));
        JsonNode event = outcome(queue, id, Duration.ofSeconds(30));
        assertEquals("command.succeeded", event.path("type").asText());
        assertTrue(event.path("data").path("attempts").asInt() >= 2);
        assertEquals("NO_BUDGET", HUBSPOT.contacts.get(contact).get("disqualification_reason"));
    }

    @Test
    void aPermanentFailureIsDeadLetteredAndCanBeReplayedOnceFixed() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        long missing = ThreadLocalRandom.current().nextLong(950_000_000, 990_000_000);
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "owner.assign", id, command(id, "owner.assign", """
                {"crm":"hubspot","objectType":"contact","objectId":"%d","ownerId":"303"}""".formatted(missing)));
        JsonNode failed = outcome(queue, id, Duration.ofSeconds(15));
        assertEquals("command.failed", failed.path("type").asText());

        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).when().get("/admin/commands?status=FAILED&limit=500").then()
                .statusCode(200).body("items.id", hasItem(id));
        given().auth().oauth2(admin).when().get("/admin/commands/" + id).then()
                .statusCode(200).body("status", equalTo("FAILED"))
                .body("lastError", org.hamcrest.Matchers.containsString("OBJECT_NOT_FOUND"));

        // the record is created in HubSpot; the admin replays the command
        synchronized (HUBSPOT) {
            HUBSPOT.contacts.put(missing, new HashMap<>(Map.of("lastmodifieddate", "1")));
        }
        given().auth().oauth2(admin).when().post("/admin/commands/" + id + "/replay").then()
                .statusCode(200).body("status", equalTo("RECEIVED"));
        assertEquals("command.succeeded", outcome(queue, id, Duration.ofSeconds(15)).path("type").asText());
        given().auth().oauth2(admin).when().post("/admin/commands/" + id + "/replay").then()
                .statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1))
                .when().get("/admin/commands").then().statusCode(403);
    }
}
