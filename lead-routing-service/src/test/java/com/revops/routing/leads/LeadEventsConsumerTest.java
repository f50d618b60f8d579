package com.revops.routing.leads;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.security.TestSecurity;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * The consuming half of the backbone, end to end over the real RabbitMQ: the test plays the gateway and publishes
 * canonical events on {@code crm.events}, exactly as the gateway's outbox relay does.
 */
@QuarkusTest
class LeadEventsConsumerTest {

    static final String QUEUE = "lead-routing-test.crm-events";
    static final String DLQ = QUEUE + ".dlq";
    static RabbitTestClient rabbit;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        // this service's test queues also collect what other modules' tests published on the same exchanges;
        // that backlog is not ours to wait for
        rabbit.purge("lead-routing-test.crm-events");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static String leadCreated(String eventId, UUID leadId, String crmId, String channel) {
        return """
                {"specversion":"1.0","id":"%s","type":"lead.created","source":"/gateway",
                 "time":"2026-11-23T10:00:00Z","subject":"lead/%s","dataschema":"urn:revops:schema:lead.created:1",
                 "datacontenttype":"application/json",
                 "data":{"leadId":"%s","crm":"hubspot","crmId":"%s","email":"Ana@Example.com","firstName":"Ana",
                         "company":"Example","country":"DE","source":"organic","channel":"%s","intentTier":"high",
                         "createdAt":"%s"}}"""
                .formatted(eventId, leadId, leadId, crmId, channel, java.time.Instant.now());
    }

    static double duplicatesSeen() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "inbox_duplicates_total\\{consumer=\"lead-routing.crm-events\"[^}]*} ([0-9.E]+)").matcher(metrics);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }

    @Test
    void aLeadCreatedLongBeforeItReachesUsIsKeptButNotRouted() throws Exception {
        // a backfill announces every existing CRM lead: the old ones are history, not work for today's SDRs
        UUID leadId = UUID.randomUUID();
        String body = leadCreated(UUID.randomUUID().toString(), leadId, "hs-" + leadId, "webinar")
                .replaceFirst("\"createdAt\":\"[^\"]+\"", "\"createdAt\":\"2024-01-15T09:00:00Z\"");
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(), body);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM lead WHERE id = $1", leadId) == 1);
        Thread.sleep(1500); // more than one poll of the new-lead router
        assertEquals(1, count("SELECT count(*) FROM lead WHERE id = $1 AND status = 'HISTORIC'", leadId));
        assertEquals(0, count("SELECT count(*) FROM routing_decision WHERE lead_id = $1", leadId));
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(io.vertx.mutiny.sqlclient.Tuple.from(args))
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(5));
    }

    @Test
    @TestSecurity(user = "alice.admin", roles = "revops-admin")
    void leadCreatedPublishedByTheGatewayIsStored() throws Exception {
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                leadCreated(UUID.randomUUID().toString(), leadId, "hs-" + leadId, "webinar"));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().when().get("/leads/" + leadId).then()
                .statusCode(200)
                .body("email", equalTo("ana@example.com"))
                .body("channel", equalTo("webinar")));
    }

    @Test
    void sameMessageDeliveredTwiceHasExactlyOneEffect() throws Exception {
        UUID leadId = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        String body = leadCreated(eventId, leadId, "hs-" + leadId, "paid-search");
        double duplicatesBefore = duplicatesSeen();
        rabbit.publish("crm.events", "lead.created", eventId, body);
        rabbit.publish("crm.events", "lead.created", eventId, body);
        // both copies are about the same person, so they are applied one after the other: once the consumer has
        // counted a duplicate, the second copy has been handled
        await().atMost(Duration.ofSeconds(10)).until(() -> duplicatesSeen() > duplicatesBefore);

        assertEquals(1, count("SELECT count(*) FROM lead WHERE id = $1", leadId));
        assertEquals(1, count("SELECT revision FROM lead WHERE id = $1", leadId),
                "the duplicate delivery was not applied a second time");
        assertEquals(1, count("SELECT count(*) FROM processed_message WHERE message_id = $1", eventId));
    }

    @Test
    void aNewEventAboutAKnownLeadIsApplied() throws Exception {
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                leadCreated(UUID.randomUUID().toString(), leadId, "hs-" + leadId, "webinar"));
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                leadCreated(UUID.randomUUID().toString(), UUID.randomUUID(), "hs-" + leadId, "events"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT coalesce(max(revision), 0) FROM lead WHERE id = $1", leadId) == 2);
    }

    @Test
    void malformedMessageIsDeadLetteredAndTheConsumerKeepsServing() throws Exception {
        rabbit.purge(DLQ);
        String garbageId = UUID.randomUUID().toString();
        rabbit.publish("crm.events", "lead.created", garbageId, "{this is not json");
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                leadCreated(UUID.randomUUID().toString(), leadId, "hs-" + leadId, "webinar"));

        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(DLQ) == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM lead WHERE id = $1", leadId) == 1);

        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).when().get("/admin/dead-letters/" + DLQ).then()
                .statusCode(200)
                .body("size()", equalTo(1))
                .body("[0].messageId", equalTo(garbageId))
                .body("[0].originalQueue", equalTo(QUEUE))
                .body("[0].reason", equalTo("rejected"));
        // peeking leaves the message where it was
        assertEquals(1, rabbit.messageCount(DLQ));
    }

    @Test
    void anEventMissingRequiredDataIsDeadLetteredWithoutRetrying() throws Exception {
        rabbit.purge(DLQ);
        String id = UUID.randomUUID().toString();
        rabbit.publish("crm.events", "lead.created", id, """
                {"specversion":"1.0","id":"%s","type":"lead.created","source":"/gateway","data":{"email":"x@y.z"}}"""
                .formatted(id));
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(DLQ) == 1);
        assertEquals(0, count("SELECT count(*) FROM processed_message WHERE message_id = $1", id),
                "a rejected message leaves no processed record behind");
    }

    @Test
    void replayingDeadLettersSendsThemBackToTheirQueue() throws Exception {
        rabbit.purge(DLQ);
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(), "not json at all");
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(DLQ) == 1);

        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).when().post("/admin/dead-letters/" + DLQ + "/replay").then()
                .statusCode(200).body("replayed", equalTo(1));
        // still malformed, so the consumer rejects it again: it is back in the DLQ, not lost and not looping
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(DLQ) == 1);
    }

    /** Contract test: the example the gateway documents in its AsyncAPI is understood as published. */
    @Test
    void gatewaysDocumentedLeadCreatedExampleIsUnderstood() throws Exception {
        String example = Files.readString(Path.of("../gateway/src/main/resources/asyncapi/examples/lead.created.json"));
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(), example);
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(admin)
                .when().get("/leads/0b9f8e52-5a43-4f0e-a0f7-2f9c3e6d1a10").then()
                .statusCode(200)
                .body("crmId", equalTo("51234"))
                .body("intentTier", equalTo("high")));
    }

    @Test
    void theSamePersonFromBothCrmsIsOneLead() throws Exception {
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                leadCreated(UUID.randomUUID().toString(), leadId, "hs-" + leadId, "webinar"));
        String salesforce = leadCreated(UUID.randomUUID().toString(), leadId, "00Q-" + leadId, "webinar")
                .replace("\"crm\":\"hubspot\"", "\"crm\":\"salesforce\"");
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(), salesforce);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> count("SELECT coalesce(max(revision), 0) FROM lead WHERE id = $1", leadId) == 2);
        assertEquals(1, count("SELECT count(*) FROM lead WHERE id = $1", leadId));
    }
}
