package com.revops.feedback.disqualification;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.feedback.TestEvents;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;

/**
 * End to end on the real broker and database: the gateway's HubSpot-style status changes become disqualification
 * records with their context; one without a reason asks the owner through a task.create command and stays on the
 * missing-reasons list until a reason-only change supplies it.
 */
@QuarkusTest
class FeedbackLoopEndToEndTest {

    /**
     * Generous: this service's test queues also receive what other modules' tests publish on the same exchanges
     * (a shared test virtual host), and that backlog is consumed in order before our events.
     */
    static final Duration WAIT = Duration.ofSeconds(60);

    static RabbitTestClient rabbit;
    static String commandsQueue;
    static String feedbackQueue;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        rabbit.purge("feedback-test.crm-events");
        rabbit.purge("feedback-test.routing-events");
        commandsQueue = rabbit.bindTemporaryQueue("crm.commands", "#");
        feedbackQueue = rabbit.bindTemporaryQueue("feedback.events", "#");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void statusChangeWithReasonBecomesARecordWithItsContext() throws Exception {
        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        String campaign = "e2e-" + leadId;
        TestEvents.leadCreated(rabbit, leadId, crmId, "Acme, \"Intl\"", "paid-search", campaign);
        TestEvents.leadRouted(rabbit, leadId, crmId, "sam.sdr", "sdr-east");
        TestEvents.publish(rabbit, "routing.events", "lead.first-touched", leadId, """
                {"leadId":"%s","ownerUsername":"sam.sdr","touchedAt":"%s","ttftSeconds":420}"""
                .formatted(leadId, java.time.Instant.now().minus(Duration.ofDays(2))));
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .get("/leads/" + leadId + "/context").then().statusCode(200)
                .body("teamName", equalTo("sdr-east")).body("campaign", equalTo(campaign))
                .body("firstTouchedAt", notNullValue()));

        TestEvents.statusChanged(rabbit, leadId, crmId, "IN_PROGRESS", "UNQUALIFIED", "bad_timing", false);

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .queryParam("leadId", leadId).get("/disqualifications").then().statusCode(200)
                .body("items.size()", equalTo(1))
                .body("items[0].reasonState", equalTo("PROVIDED"))
                .body("items[0].reasonCode", equalTo("BAD_TIMING"))
                .body("items[0].reasonCategory", equalTo("timing"))
                .body("items[0].crmStatus", equalTo("UNQUALIFIED"))
                .body("items[0].source", equalTo("paid-search"))
                .body("items[0].channel", equalTo("google-ads"))
                .body("items[0].campaign", equalTo(campaign))
                .body("items[0].country", equalTo("DE"))
                .body("items[0].companySize", equalTo("51-200"))
                .body("items[0].industry", equalTo("Software"))
                .body("items[0].ownerUsername", equalTo("sam.sdr"))
                .body("items[0].teamName", equalTo("sdr-east"))
                .body("items[0].routingRule", equalTo("emea-inbound"))
                .body("items[0].ttftSeconds", equalTo(420))
                .body("items[0].noContactAttempt", equalTo(false))
                .body("items[0].recycleAt", notNullValue()));

        JsonNode recorded = TestEvents.awaitMessage(rabbit, feedbackQueue,
                e -> "disqualification.recorded".equals(e.path("type").asText())
                        && leadId.toString().equals(e.path("data").path("leadId").asText()),
                WAIT);
        assertEquals("BAD_TIMING", recorded.path("data").path("reasonCode").asText());

        // the same event delivered again (a new event id, same facts) does not create a second record
        TestEvents.statusChanged(rabbit, leadId, crmId, "IN_PROGRESS", "UNQUALIFIED", "bad_timing", false);
        Thread.sleep(1500);
        given().auth().oauth2(marketing).queryParam("leadId", leadId).get("/disqualifications").then()
                .statusCode(200).body("items.size()", equalTo(1));
    }

    @Test
    void missingReasonAsksTheOwnerAndStaysListedUntilTheReasonArrives() throws Exception {
        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        TestEvents.leadCreated(rabbit, leadId, crmId, "Zoë Ünïcode GmbH", "organic", "e2e-missing-" + leadId);
        TestEvents.leadRouted(rabbit, leadId, crmId, "sara.sdr", "sdr-east");
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .get("/leads/" + leadId + "/context").then().statusCode(200).body("teamName", equalTo("sdr-east")));

        TestEvents.statusChanged(rabbit, leadId, crmId, "OPEN", "UNQUALIFIED", null, false);

        JsonNode task = TestEvents.awaitMessage(rabbit, commandsQueue,
                e -> "task.create".equals(e.path("type").asText())
                        && crmId.equals(e.path("data").path("objectId").asText()),
                WAIT);
        assertEquals("hubspot", task.path("data").path("crm").asText());
        assertEquals("contact", task.path("data").path("objectType").asText());
        assertEquals("7001", task.path("data").path("ownerId").asText());
        assertEquals("Disqualification reason needed", task.path("data").path("subject").asText());

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .queryParam("limit", 500).get("/disqualifications/missing-reasons").then().statusCode(200)
                .body("items.leadId", hasItem(leadId.toString())));
        given().auth().oauth2(marketing).queryParam("leadId", leadId).get("/disqualifications").then()
                .body("items[0].reasonState", equalTo("MISSING"))
                .body("items[0].noContactAttempt", equalTo(true));
        // the manager of the lead's team sees it too; SDRs see their own only
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER)).queryParam("limit", 500)
                .get("/disqualifications/missing-reasons").then().statusCode(200)
                .body("items.leadId", hasItem(leadId.toString()));
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).queryParam("limit", 500)
                .get("/disqualifications/missing-reasons").then().statusCode(200)
                .body("items.leadId", not(hasItem(leadId.toString())));

        TestEvents.statusChanged(rabbit, leadId, crmId, "UNQUALIFIED", "UNQUALIFIED", "not_icp", true);

        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .queryParam("leadId", leadId).get("/disqualifications").then().statusCode(200)
                .body("items[0].reasonState", equalTo("PROVIDED"))
                .body("items[0].reasonCode", equalTo("NOT_ICP")));
        given().auth().oauth2(marketing).queryParam("limit", 500).get("/disqualifications/missing-reasons").then()
                .statusCode(200).body("items.leadId", not(hasItem(leadId.toString())));
        JsonNode provided = TestEvents.awaitMessage(rabbit, feedbackQueue,
                e -> "disqualification.reason-provided".equals(e.path("type").asText())
                        && leadId.toString().equals(e.path("data").path("leadId").asText()),
                WAIT);
        assertEquals(true, provided.path("data").path("wasMissing").asBoolean());
        given().auth().oauth2(marketing).get("/disqualifications/loop-stats").then().statusCode(200)
                .body("completed", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
    }

    @Test
    void reasonCanBeSuppliedOverRestToo() throws Exception {
        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        TestEvents.leadCreated(rabbit, leadId, crmId, "Rest Co", "organic", "e2e-rest-" + leadId);
        TestEvents.leadRouted(rabbit, leadId, crmId, "sam.sdr", "sdr-east");
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        // the rep called (an outbound activity logged in the CRM), though routing never saw a first touch
        TestEvents.publish(rabbit, "crm.events", "activity.logged", leadId, """
                {"activityId":"%s","crm":"hubspot","crmId":"call-1","type":"call","direction":"outbound",
                 "ownerId":"7001","leadId":"%s","crmPersonId":"%s","occurredAt":"%s","outcome":"no-answer"}"""
                .formatted(UUID.randomUUID(), leadId, crmId, java.time.Instant.now().minus(Duration.ofHours(2))));
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .get("/leads/" + leadId + "/context").then().statusCode(200).body("teamName", equalTo("sdr-east"))
                .body("contactAttemptedAt", notNullValue()));
        TestEvents.statusChanged(rabbit, leadId, crmId, "OPEN", "UNQUALIFIED", "something-unmapped", false);
        await().atMost(WAIT).untilAsserted(() -> given().auth().oauth2(marketing)
                .queryParam("leadId", leadId).get("/disqualifications").then().statusCode(200)
                .body("items[0].reasonState", equalTo("MISSING"))
                .body("items[0].reasonRaw", equalTo("something-unmapped"))
                .body("items[0].noContactAttempt", equalTo(false)));
        String id = given().auth().oauth2(marketing).queryParam("leadId", leadId).get("/disqualifications")
                .then().extract().path("items[0].id");

        // another SDR cannot answer for sam's lead; sam can
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_2)).contentType("application/json")
                .body("{\"reasonCode\":\"NO_BUDGET\"}").put("/disqualifications/" + id + "/reason").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).contentType("application/json")
                .body("{\"reasonCode\":\"NO_BUDGET\"}").put("/disqualifications/" + id + "/reason").then()
                .statusCode(200).body("reasonState", equalTo("PROVIDED")).body("reasonCode", equalTo("NO_BUDGET"));
    }
}
