package com.revops.feedback.recycling;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.feedback.Db;
import com.revops.feedback.TestEvents;
import com.revops.feedback.loop.TimerPoller;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * A recycle date lives in PostgreSQL, not in memory: a timer that fell due while no replica ran (here: its due date
 * moved into the past behind the service's back, as if it had been down for a day) is fired by the poller,
 * which sends lead.status.set to the CRM and publishes lead.recycled.
 */
@QuarkusTest
class RecycleAfterRestartTest {

    static RabbitTestClient rabbit;
    static String commandsQueue;
    static String feedbackQueue;

    @Inject
    TimerPoller poller;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        commandsQueue = rabbit.bindTemporaryQueue("crm.commands", "lead.status.set");
        feedbackQueue = rabbit.bindTemporaryQueue("feedback.events", "lead.recycled");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void dueRecycleTimerFiresAfterARestart() throws Throwable {
        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        Db.lead(leadId, "hubspot", crmId, "Later GmbH", "events", "recycle-" + leadId, "sam.sdr", "sdr-east",
                Instant.now().minus(Duration.ofDays(40)));
        String id = given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1))
                .contentType("application/json")
                .body(Map.of("leadId", leadId.toString(), "reasonCode", "BAD_TIMING",
                        "disqualifiedAt", Instant.now().minus(Duration.ofDays(30)).toString()))
                .post("/disqualifications").then().statusCode(201).extract().path("id");
        // BAD_TIMING recycles after 90 days: due in about 60 days
        assertEquals(1, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind = 'RECYCLE' AND fired_at IS NULL AND due_at > now() + interval '59 days'", id));

        // the service was down when the date came: only the row in PostgreSQL knows
        Db.update("UPDATE feedback_timer SET due_at = now() - interval '1 day' WHERE disqualification_id = ?::uuid "
                + "AND kind = 'RECYCLE'", id);
        VertxContextSupport.subscribeAndAwait(() -> poller.fireDue());

        JsonNode command = TestEvents.awaitMessage(rabbit, commandsQueue,
                e -> crmId.equals(e.path("data").path("objectId").asText())
                        && e.path("data").path("reason").asText().startsWith("recycled"), Duration.ofSeconds(15));
        assertEquals("lead.status.set", command.path("type").asText());
        assertEquals("OPEN", command.path("data").path("status").asText());
        assertEquals("contact", command.path("data").path("objectType").asText());
        JsonNode recycled = TestEvents.awaitMessage(rabbit, feedbackQueue,
                e -> leadId.toString().equals(e.path("data").path("leadId").asText()), Duration.ofSeconds(15));
        assertEquals("BAD_TIMING", recycled.path("data").path("reasonCode").asText());
        assertEquals(1, recycled.path("data").path("recycleNumber").asInt());
        assertEquals("RECYCLED", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", id));
        assertNotNull(Db.string("SELECT fired_at FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind = 'RECYCLE'", id));
        // fired once: a second poll has nothing left for this lead
        VertxContextSupport.subscribeAndAwait(() -> poller.fireDue());
        assertEquals(1, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.recycled' "
                + "AND subject = ?", "lead/" + leadId));
    }

    @Test
    void recyclingStopsAtTheCap() throws Exception {
        UUID leadId = UUID.randomUUID();
        Db.lead(leadId, "hubspot", "hs-" + leadId.toString().substring(0, 8), "Cap AG", "events", "cap-" + leadId,
                "sam.sdr", "sdr-east", Instant.now().minus(Duration.ofDays(400)));
        // two earlier disqualifications of this lead were recycled already (cap = 2)
        for (int i = 0; i < 2; i++) {
            Db.update("""
                    INSERT INTO disqualification (id, lead_id, crm, crm_id, state, reason_state, reason_code,
                      reason_category, disqualified_at, captured_via, no_contact_attempt, recycled_at)
                    VALUES (gen_random_uuid(), ?, 'hubspot', 'x', 'RECYCLED', 'PROVIDED', 'BAD_TIMING', 'timing',
                      now() - interval '300 days', 'api', false, now() - interval '200 days')""", leadId);
        }
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        String id = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("leadId", leadId.toString(), "reasonCode", "UNRESPONSIVE"))
                .post("/disqualifications").then().statusCode(201)
                .body("recycleCapped", org.hamcrest.Matchers.equalTo(true))
                .body("recycleAt", org.hamcrest.Matchers.nullValue()).extract().path("id");
        assertEquals(0, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind = 'RECYCLE'", id));
    }

    @Test
    void aDeletedCrmRecordGetsNoMoreRecycling() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        UUID lead = UUID.randomUUID();
        String crmId = "hs-" + lead.toString().substring(0, 8);
        Db.lead(lead, "hubspot", crmId, "Gone", "events", "gone-" + lead, "sam.sdr", "sdr-east",
                Instant.now().minus(Duration.ofDays(5)));
        String id = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("leadId", lead.toString(), "reasonCode", "BAD_TIMING"))
                .post("/disqualifications").then().statusCode(201).extract().path("id");
        TestEvents.publish(rabbit, "crm.events", "contact.deleted", lead, """
                {"leadId":"%s","crm":"hubspot","crmId":"%s","deletedAt":"%s"}""".formatted(lead, crmId,
                Instant.now()));
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(
                "SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid AND kind = 'RECYCLE' "
                        + "AND cancelled_at IS NOT NULL", id) == 1);
        assertEquals(null, Db.string("SELECT recycle_at FROM disqualification WHERE id = ?::uuid", id));
        assertEquals("ACTIVE", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", id));
    }
}
