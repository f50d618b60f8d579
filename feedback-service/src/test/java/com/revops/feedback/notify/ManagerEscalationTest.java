package com.revops.feedback.notify;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.feedback.Db;
import com.revops.feedback.TestEvents;
import com.revops.feedback.loop.TimerPoller;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;

/**
 * The manager is told after N days: the escalation writes a durable notification that reaches the team's webhook
 * (Slack-compatible JSON, retried after a 500) and a task.create for the manager in the CRM; without any webhook the
 * notification is kept as SKIPPED and visible to the team's manager.
 */
@QuarkusTest
class ManagerEscalationTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static RabbitTestClient rabbit;
    static String commandsQueue;
    static FakeWebhook webhook;

    @Inject
    TimerPoller poller;

    @Inject
    NotificationDispatcher dispatcher;

    @BeforeAll
    static void start() throws Exception {
        rabbit = new RabbitTestClient();
        commandsQueue = rabbit.bindTemporaryQueue("crm.commands", "task.create");
        webhook = new FakeWebhook();
    }

    @AfterAll
    static void stop() throws Exception {
        rabbit.close();
        webhook.close();
    }

    static String adminToken;

    /** One token for the class: fewer password grants against the realm's brute-force detection. */
    static String admin() {
        if (adminToken == null) {
            adminToken = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        }
        return adminToken;
    }

    /** A disqualification without a reason, captured from a HubSpot-style status event, whose escalation is due. */
    static String overdueDisqualification(UUID leadId, String crmId, String company, String team) throws Exception {
        Db.lead(leadId, "hubspot", crmId, company, "events", "esc-" + leadId, "sam.sdr", team,
                Instant.now().minus(Duration.ofDays(10)));
        TestEvents.statusChanged(rabbit, leadId, crmId, "OPEN", "UNQUALIFIED", null, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(
                "SELECT count(*) FROM disqualification WHERE lead_id = ? AND reason_state = 'MISSING'", leadId) == 1);
        String id = Db.string("SELECT id::text FROM disqualification WHERE lead_id = ?", leadId);
        Db.update("UPDATE feedback_timer SET due_at = now() - interval '1 minute' WHERE disqualification_id = ?::uuid "
                + "AND kind = 'MANAGER_ESCALATION'", id);
        return id;
    }

    @Test
    void escalationReachesTheTeamWebhookAfterARetryAndCreatesATaskForTheManager() throws Throwable {
        String team = "esc-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("teamName", team, "managerName", "Maria Manager", "managerEmail", "maria@example.com",
                        "crmOwnerIds", Map.of("hubspot", "9001"), "webhookUrl", webhook.url()))
                .post("/escalation-contacts").then().statusCode(201)
                .body("webhookConfigured", equalTo(true))
                .body("webhookHost", equalTo("http://127.0.0.1"));

        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        webhook.statuses.add(500); // the first delivery fails
        String id = overdueDisqualification(leadId, crmId, "Acme <Labs> & Co", team);
        VertxContextSupport.subscribeAndAwait(() -> poller.fireDue());

        // the manager's CRM task (the owner's tasks go to owner 7001/8001, not 9001)
        JsonNode task = TestEvents.awaitMessage(rabbit, commandsQueue,
                e -> crmId.equals(e.path("data").path("objectId").asText())
                        && "9001".equals(e.path("data").path("ownerId").asText()), Duration.ofSeconds(15));
        assertTrue(task.path("data").path("subject").asText().startsWith("Follow up: disqualification reason"));

        String notification = Db.string("SELECT id::text FROM notification WHERE disqualification_id = ?::uuid", id);
        await().atMost(Duration.ofSeconds(30)).until(() -> "SENT".equals(
                Db.string("SELECT state FROM notification WHERE id = ?::uuid", notification)));
        List<String> mine = webhook.bodies.stream().filter(b -> b.contains(id)).toList();
        assertEquals(2, mine.size(), "one failed attempt (500), one accepted");
        JsonNode body = JSON.readTree(mine.get(1));
        assertTrue(body.path("text").asText().startsWith("Maria Manager: disqualification reason missing for 0 days on Acme <Labs> & Co"),
                body.path("text").asText());
        assertEquals("header", body.path("blocks").get(0).path("type").asText());
        assertTrue(body.path("blocks").get(1).path("text").path("text").asText()
                .contains("*Acme &lt;Labs&gt; &amp; Co*"), "mrkdwn escaped");

        given().auth().oauth2(admin()).queryParam("team", team).get("/notifications").then().statusCode(200)
                .body("items[0].id", equalTo(notification))
                .body("items[0].state", equalTo("SENT"))
                .body("items[0].attempts", equalTo(2))
                .body("items[0].recipient", equalTo("Maria Manager"))
                .body("items[0].target", equalTo("team"))
                .body("items[0].payload.blocks[0].type", equalTo("header"));
        // the event names the manager
        assertEquals("Maria Manager", Db.string("SELECT envelope -> 'data' ->> 'managerName' FROM outbox_event "
                + "WHERE event_type = 'disqualification.reason-overdue' AND subject = ?", "lead/" + leadId));
        // not the manager's team: refused; the team's notifications stay invisible
        String manager = KeycloakTokens.accessToken(KeycloakTokens.MANAGER);
        given().auth().oauth2(manager).queryParam("team", team).get("/notifications").then().statusCode(403);
        given().auth().oauth2(manager).get("/notifications/" + notification).then().statusCode(404);
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING)).get("/notifications").then()
                .statusCode(403);
        // sent once: the admin cannot resend a SENT one
        given().auth().oauth2(admin()).post("/notifications/" + notification + "/retry").then().statusCode(409);
    }

    @Test
    void withoutAnyWebhookTheNotificationIsKeptAsSkippedAndVisibleToTheTeamsManager() throws Throwable {
        UUID leadId = UUID.randomUUID();
        String crmId = "hs-" + leadId.toString().substring(0, 8);
        String id = overdueDisqualification(leadId, crmId, "Quiet Corp", "sdr-east");
        VertxContextSupport.subscribeAndAwait(() -> poller.fireDue());
        String notification = Db.string("SELECT id::text FROM notification WHERE disqualification_id = ?::uuid", id);
        assertEquals("SKIPPED", Db.string("SELECT state FROM notification WHERE id = ?::uuid", notification));

        String manager = KeycloakTokens.accessToken(KeycloakTokens.MANAGER); // manages sdr-east
        given().auth().oauth2(manager).queryParam("state", "SKIPPED").queryParam("limit", 500).get("/notifications")
                .then().statusCode(200)
                .body("items.id", hasItem(notification))
                .body("items.teamName", not(hasItem(not(equalTo("sdr-east")))));
        given().auth().oauth2(manager).get("/notifications/" + notification).then().statusCode(200)
                .body("lastError", org.hamcrest.Matchers.containsString("no webhook URL configured"))
                .body("recipient", nullValue());
        given().auth().oauth2(manager).queryParam("state", "LOST").get("/notifications").then().statusCode(400);
        // the escalation fires once: a second poll adds nothing
        VertxContextSupport.subscribeAndAwait(() -> poller.fireDue());
        assertEquals(1, Db.count("SELECT count(*) FROM notification WHERE disqualification_id = ?::uuid", id));
    }

    @Test
    void replicasPollingAtOnceDeliverEachNotificationExactlyOnce() throws Throwable {
        String team = "rep-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("teamName", team, "managerName", "Rita Replica", "webhookUrl", webhook.url()))
                .post("/escalation-contacts").then().statusCode(201);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 12; i++) {
            String nid = UUID.randomUUID().toString();
            ids.add(nid);
            Db.update("""
                    INSERT INTO notification (id, kind, team_name, recipient, channel, target, payload, state,
                      next_attempt_at) VALUES (?::uuid, 'reason-overdue', ?, 'Rita Replica', 'webhook', 'team',
                      ?::jsonb, 'PENDING', now())""", nid, team, "{\"text\":\"replica " + nid + "\",\"blocks\":[]}");
        }
        // three pollers at once, besides the scheduled one
        VertxContextSupport.subscribeAndAwait(() -> Uni.join().all(dispatcher.deliverDue(), dispatcher.deliverDue(),
                dispatcher.deliverDue()).andFailFast().replaceWithVoid());
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(
                "SELECT count(*) FROM notification WHERE team_name = ? AND state = 'SENT'", team) == 12);
        for (String nid : ids) {
            assertEquals(1, webhook.bodies.stream().filter(b -> b.contains(nid)).count(), nid);
        }
    }

    @Test
    void escalationContactsAreAdminManagedAndBadInputStoresNothing() {
        String team = "crud-" + UUID.randomUUID().toString().substring(0, 8);
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER)).get("/escalation-contacts").then()
                .statusCode(403);
        given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("teamName", team, "managerName", "M", "crmOwnerIds", Map.of("pipedrive", "1"),
                        "webhookUrl", "ftp://example.com/x"))
                .post("/escalation-contacts").then().statusCode(422)
                .body("violations.field", hasItem("webhookUrl"))
                .body("violations.field", hasItem("crmOwnerIds.pipedrive"));
        given().auth().oauth2(admin()).get("/escalation-contacts/" + team).then().statusCode(404);

        given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("teamName", team, "managerName", "Max", "crmOwnerIds", Map.of("salesforce", "005xx1")))
                .post("/escalation-contacts").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/escalation-contacts/" + team));
        given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("teamName", team, "managerName", "Other")).post("/escalation-contacts").then()
                .statusCode(409);
        given().auth().oauth2(admin()).contentType("application/json").body(Map.of("managerName", ""))
                .put("/escalation-contacts/" + team).then().statusCode(422);
        given().auth().oauth2(admin()).get("/escalation-contacts/" + team).then().statusCode(200)
                .body("managerName", equalTo("Max")).body("crmOwnerIds.salesforce", equalTo("005xx1"))
                .body("webhookConfigured", equalTo(false));
        given().auth().oauth2(admin()).contentType("application/json")
                .body(Map.of("managerName", "Maxine", "crmOwnerIds", Map.of("hubspot", "42")))
                .put("/escalation-contacts/" + team).then().statusCode(200)
                .body("crmOwnerIds.hubspot", equalTo("42")).body("crmOwnerIds.salesforce", nullValue());
        given().auth().oauth2(admin()).delete("/escalation-contacts/" + team).then().statusCode(204);
        given().auth().oauth2(admin()).delete("/escalation-contacts/" + team).then().statusCode(404);
        given().auth().oauth2(admin()).contentType("application/json").body(Map.of("managerName", "X"))
                .put("/escalation-contacts/" + team).then().statusCode(404);
    }
}
