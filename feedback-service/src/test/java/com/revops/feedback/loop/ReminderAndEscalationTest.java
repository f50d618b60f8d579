package com.revops.feedback.loop;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
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
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/** The loop goes on while the reason is missing: a reminder task for the owner, then the manager is told. */
@QuarkusTest
class ReminderAndEscalationTest {

    static RabbitTestClient rabbit;
    static String commandsQueue;
    static String feedbackQueue;

    @Inject
    TimerPoller poller;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        commandsQueue = rabbit.bindTemporaryQueue("crm.commands", "task.create");
        feedbackQueue = rabbit.bindTemporaryQueue("feedback.events", "disqualification.reason-overdue");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void dueReminderAsksAgainAndEscalationTellsTheManagerUntilTheReasonArrives() throws Throwable {
        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        Db.lead(leadId, "hubspot", crmId, "Silent Ltd", "events", "loop-" + leadId, "sam.sdr", "sdr-east",
                Instant.now().minus(Duration.ofDays(10)));
        TestEvents.statusChanged(rabbit, leadId, crmId, "OPEN", "unqualified", null, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(
                "SELECT count(*) FROM disqualification WHERE lead_id = ? AND reason_state = 'MISSING'", leadId) == 1);
        String id = Db.string("SELECT id::text FROM disqualification WHERE lead_id = ?", leadId);
        TestEvents.awaitMessage(rabbit, commandsQueue, e -> crmId.equals(e.path("data").path("objectId").asText()),
                Duration.ofSeconds(15));

        // days pass: both timers fall due
        Db.update("UPDATE feedback_timer SET due_at = now() - interval '1 minute' WHERE disqualification_id = ?::uuid",
                id);
        VertxContextSupport.subscribeAndAwait(() -> poller.fireDue());

        JsonNode reminder = TestEvents.awaitMessage(rabbit, commandsQueue,
                e -> crmId.equals(e.path("data").path("objectId").asText()), Duration.ofSeconds(15));
        assertEquals("Reminder 1: Disqualification reason needed", reminder.path("data").path("subject").asText());
        JsonNode overdue = TestEvents.awaitMessage(rabbit, feedbackQueue,
                e -> leadId.toString().equals(e.path("data").path("leadId").asText()), Duration.ofSeconds(15));
        assertEquals("sdr-east", overdue.path("data").path("teamName").asText());
        assertEquals("sam.sdr", overdue.path("data").path("ownerUsername").asText());
        assertEquals(1, Db.count("SELECT reminders_sent FROM disqualification WHERE id = ?::uuid", id));
        assertNotNull(Db.string("SELECT manager_notified_at FROM disqualification WHERE id = ?::uuid", id));
        // the next reminder is planned
        assertEquals(1, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind = 'REASON_REMINDER' AND fired_at IS NULL AND cancelled_at IS NULL", id));

        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER)).contentType("application/json")
                .body(Map.of("reasonCode", "UNRESPONSIVE")).put("/disqualifications/" + id + "/reason").then()
                .statusCode(200);
        assertEquals(0, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind <> 'RECYCLE' AND fired_at IS NULL AND cancelled_at IS NULL", id));
        // UNRESPONSIVE is recyclable: the loop's end plans the recycle date
        assertEquals(1, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind = 'RECYCLE' AND fired_at IS NULL AND cancelled_at IS NULL", id));
    }

    @Test
    void exhaustedTimerIsListedForAdminsAndCanBeRetried() throws Exception {
        UUID leadId = UUID.randomUUID();
        Db.lead(leadId, "hubspot", "hs-" + leadId.toString().substring(0, 8), "Stuck SA", "events", "stuck-" + leadId,
                "sam.sdr", "sdr-east", Instant.now().minus(Duration.ofDays(3)));
        String id = given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.ADMIN))
                .contentType("application/json").body(Map.of("leadId", leadId.toString(), "reasonCode", "BAD_TIMING"))
                .post("/disqualifications").then().statusCode(201).extract().path("id");
        String timer = Db.string("SELECT id::text FROM feedback_timer WHERE disqualification_id = ?::uuid", id);
        Db.update("UPDATE feedback_timer SET attempts = 10, last_error = 'broker said no' WHERE id = ?::uuid", timer);

        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING)).get("/admin/timers").then()
                .statusCode(403);
        given().auth().oauth2(admin).queryParam("state", "exhausted").queryParam("limit", 1000).get("/admin/timers")
                .then().statusCode(200).body("find { it.id == '%s' }.lastError".formatted(timer),
                        org.hamcrest.Matchers.equalTo("broker said no"));
        given().auth().oauth2(admin).post("/admin/timers/" + timer + "/retry").then().statusCode(200)
                .body("attempts", org.hamcrest.Matchers.equalTo(0));
        given().auth().oauth2(admin).post("/admin/timers/" + UUID.randomUUID() + "/retry").then().statusCode(404);
        assertEquals(0, Db.count("SELECT attempts FROM feedback_timer WHERE id = ?::uuid", timer));
    }
}
