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

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

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

    /**
     * Records the commands in one statement (as a busy consumer would between two rounds), so that the next round
     * claims them together.
     */
    void recordTogether(List<String> ids, List<Long> contacts, String ownerId) {
        StringBuilder values = new StringBuilder();
        List<Object> args = new java.util.ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            values.append(i == 0 ? "" : ",").append("($").append(args.size() + 1).append(", 'owner.assign', "
                    + "'/lead-routing-service', 'lead/x', $").append(args.size() + 2)
                    .append("::text::jsonb, 'RECEIVED', clock_timestamp())");
            args.add(UUID.fromString(ids.get(i)));
            args.add("""
                    {"crm":"hubspot","objectType":"contact","objectId":"%d","ownerId":"%s"}"""
                    .formatted(contacts.get(i), ownerId));
        }
        pool.preparedQuery("INSERT INTO crm_command (id, command_type, issued_by, subject, payload, status, "
                + "received_at) VALUES " + values).executeAndAwait(io.vertx.mutiny.sqlclient.Tuple.from(args));
    }

    /** The batch updates HubSpot answered that name any of these records. */
    List<JsonNode> batchesNaming(List<Long> contacts) {
        return HUBSPOT.batchUpdates.stream().filter(b -> {
            for (JsonNode in : b.path("inputs")) {
                if (contacts.contains(Long.parseLong(in.path("id").asText()))) {
                    return true;
                }
            }
            return false;
        }).toList();
    }

    /** The outcome events of these commands, each as often as it was published, within the wait. */
    Map<String, List<JsonNode>> outcomes(String queue, List<String> commandIds, Duration wait) throws Exception {
        Map<String, List<JsonNode>> found = new HashMap<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && found.size() < commandIds.size()) {
            for (Received r : rabbit.await(queue, 1, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                String id = e.path("data").path("commandId").asText();
                if (commandIds.contains(id)) {
                    found.computeIfAbsent(id, k -> new java.util.ArrayList<>()).add(e);
                }
            }
        }
        return found;
    }

    static String type(Map<String, List<JsonNode>> outcomes, String id) {
        List<JsonNode> events = outcomes.get(id);
        return events == null ? "no outcome" : events.get(0).path("type").asText();
    }

    static List<String> newIds(int n) {
        return java.util.stream.Stream.generate(() -> UUID.randomUUID().toString()).limit(n).toList();
    }

    @Test
    void ownerAssignsOfOneRoundAreWrittenInOneBatchUpdateWithAnOutcomeEach() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        List<Long> contacts = List.of(contact(), contact(), contact());
        List<String> ids = newIds(3);
        recordTogether(ids, contacts, "404");

        Map<String, List<JsonNode>> outcomes = outcomes(queue, ids, Duration.ofSeconds(15));
        for (String id : ids) {
            assertEquals("command.succeeded", type(outcomes, id), id);
        }
        for (long contact : contacts) {
            assertEquals("404", HUBSPOT.contacts.get(contact).get("hubspot_owner_id"));
            assertEquals(1, writesFor(contact).size(), "written once: " + writesFor(contact));
        }
        List<JsonNode> batches = batchesNaming(contacts);
        assertEquals(1, batches.size(), "one batch/update call: " + batches);
        assertEquals(0, HUBSPOT.requests("PATCH /crm/v3/objects/contacts/" + contacts.get(0)));
    }

    @Test
    void anUnknownIdInABatchFailsThatCommandOnlyAndTheOthersSucceed() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        long missing = ThreadLocalRandom.current().nextLong(950_000_000, 990_000_000);
        List<Long> contacts = List.of(contact(), missing, contact());
        List<String> ids = newIds(3);
        recordTogether(ids, contacts, "505");

        Map<String, List<JsonNode>> outcomes = outcomes(queue, ids, Duration.ofSeconds(15));
        assertEquals("command.succeeded", type(outcomes, ids.get(0)));
        assertEquals("command.failed", type(outcomes, ids.get(1)));
        JsonNode failed = outcomes.get(ids.get(1)).get(0);
        assertTrue(failed.path("data").path("error").asText().contains("OBJECT_NOT_FOUND"), failed.toString());
        assertEquals("command.succeeded", type(outcomes, ids.get(2)));
        assertEquals("505", HUBSPOT.contacts.get(contacts.get(0)).get("hubspot_owner_id"));
        assertEquals("505", HUBSPOT.contacts.get(contacts.get(2)).get("hubspot_owner_id"));
        assertEquals(1, batchesNaming(contacts).size(), "one batch/update call");

        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).when().get("/admin/commands/" + ids.get(1)).then()
                .statusCode(200).body("status", equalTo("FAILED"))
                .body("lastError", org.hamcrest.Matchers.containsString("OBJECT_NOT_FOUND"));
        given().auth().oauth2(admin).when().get("/admin/commands/" + ids.get(0)).then()
                .statusCode(200).body("status", equalTo("SUCCEEDED"));
    }

    @Test
    void aRateLimitedBatchIsRetriedAndEveryRecordWrittenOnce() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        List<Long> contacts = List.of(contact(), contact(), contact());
        HUBSPOT.failNextFor("\"" + contacts.get(1) + "\"", HubSpotFake.rateLimited("SECONDLY"));
        List<String> ids = newIds(3);
        recordTogether(ids, contacts, "606");

        Map<String, List<JsonNode>> outcomes = outcomes(queue, ids, Duration.ofSeconds(20));
        for (String id : ids) {
            assertEquals("command.succeeded", type(outcomes, id), id);
        }
        for (long contact : contacts) {
            assertEquals("606", HUBSPOT.contacts.get(contact).get("hubspot_owner_id"));
            assertEquals(1, writesFor(contact).size(), "written once: " + writesFor(contact));
        }
        assertEquals(1, batchesNaming(contacts).size(), "the 429 was answered before anything was written");
        Thread.sleep(1500);
        Map<String, List<JsonNode>> late = outcomes(queue, ids, Duration.ofSeconds(1));
        assertTrue(late.isEmpty(), "one outcome event per command: " + late);
    }

    @Test
    void aBatchRefusedAsAWholeIsAppliedOneCommandAtATime() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "command.*");
        List<Long> contacts = List.of(contact(), contact());
        HUBSPOT.failNextFor("\"" + contacts.get(0) + "\"", HubSpotFake.json(400, """
                {"status":"error","message":"Property values were not valid","category":"VALIDATION_ERROR",
                 "correlationId":"%s"}""".formatted(UUID.randomUUID())));
        List<String> ids = newIds(2);
        recordTogether(ids, contacts, "707");

        Map<String, List<JsonNode>> outcomes = outcomes(queue, ids, Duration.ofSeconds(15));
        for (String id : ids) {
            assertEquals("command.succeeded", type(outcomes, id), id);
        }
        for (long contact : contacts) {
            assertEquals("707", HUBSPOT.contacts.get(contact).get("hubspot_owner_id"));
            assertEquals(1, writesFor(contact).size(), "written once: " + writesFor(contact));
            assertTrue(writesFor(contact).get(0).startsWith("PATCH"), writesFor(contact).toString());
        }
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
        HUBSPOT.failNextFor("\"" + contact + "\"", HubSpotFake.serverError(), HubSpotFake.serverError(),
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
