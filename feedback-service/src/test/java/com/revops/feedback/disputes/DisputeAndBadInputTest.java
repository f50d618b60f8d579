package com.revops.feedback.disputes;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.feedback.Db;
import com.revops.feedback.TestEvents;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;

/** Bad input changes nothing; disputes are decided by a manager of the lead's team only, and audited. */
@QuarkusTest
class DisputeAndBadInputTest {

    static RabbitTestClient rabbit;
    static String feedbackQueue;
    static String commandsQueue;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        feedbackQueue = rabbit.bindTemporaryQueue("feedback.events", "#");
        commandsQueue = rabbit.bindTemporaryQueue("crm.commands", "lead.status.set");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static UUID lead(String team) throws Exception {
        UUID leadId = UUID.randomUUID();
        Db.lead(leadId, "hubspot", "hs-" + leadId.toString().substring(0, 8), "Dispute Co", "events", "c-" + leadId,
                "sam.sdr", team, Instant.now().minus(Duration.ofDays(5)));
        return leadId;
    }

    static String disqualify(UUID leadId, String code, String note) {
        return given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.ADMIN)).contentType("application/json")
                .body(note == null ? "{\"leadId\":\"%s\",\"reasonCode\":\"%s\"}".formatted(leadId, code)
                        : "{\"leadId\":\"%s\",\"reasonCode\":\"%s\",\"note\":\"%s\"}".formatted(leadId, code, note))
                .post("/disqualifications").then().statusCode(201).extract().path("id");
    }

    @Test
    void unknownReasonCodeIs422AndStoresNothing() throws Exception {
        UUID leadId = lead("sdr-east");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).contentType("application/json")
                .body("{\"leadId\":\"%s\",\"reasonCode\":\"MOON_PHASE\"}".formatted(leadId))
                .post("/disqualifications").then()
                .statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("reasonCode"));
        assertEquals(0, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ?", leadId));
        assertEquals(0, Db.count("SELECT count(*) FROM outbox_event WHERE subject = ?", "lead/" + leadId));
    }

    @Test
    void reasonThatRequiresANoteWithoutOneIs422AndStoresNothing() throws Exception {
        UUID leadId = lead("sdr-east");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).contentType("application/json")
                .body("{\"leadId\":\"%s\",\"reasonCode\":\"OTHER\",\"note\":\"  \"}".formatted(leadId))
                .post("/disqualifications").then()
                .statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("note"));
        assertEquals(0, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ?", leadId));

        // with the note it is recorded, repeated it is the same record, another reason conflicts
        String id = disqualify(leadId, "OTHER", "reseller, not an end customer");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).contentType("application/json")
                .body("{\"leadId\":\"%s\",\"reasonCode\":\"OTHER\",\"note\":\"again\"}".formatted(leadId))
                .post("/disqualifications").then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).contentType("application/json")
                .body("{\"leadId\":\"%s\",\"reasonCode\":\"SPAM\"}".formatted(leadId))
                .post("/disqualifications").then().statusCode(409).contentType("application/problem+json");
        assertEquals(1, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ?", leadId));
    }

    @Test
    void unknownLeadIs404AndMarketingCannotDisqualify() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).contentType("application/json")
                .body("{\"leadId\":\"%s\",\"reasonCode\":\"SPAM\"}".formatted(UUID.randomUUID()))
                .post("/disqualifications").then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING)).contentType("application/json")
                .body("{\"leadId\":\"%s\",\"reasonCode\":\"SPAM\"}".formatted(UUID.randomUUID()))
                .post("/disqualifications").then().statusCode(403).contentType("application/problem+json");
        given().contentType("application/json").body("{}").post("/disqualifications").then().statusCode(401);
    }

    @Test
    void managerOfAnotherTeamCannotDecideADisputeAndNothingChanges() throws Exception {
        UUID leadId = lead("sdr-west");
        String dq = disqualify(leadId, "NOT_ICP", null);
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        String dispute = given().auth().oauth2(marketing).contentType("application/json")
                .body("{\"comment\":\"They are a 500-seat retailer, squarely ICP\"}")
                .post("/disqualifications/" + dq + "/disputes").then().statusCode(201)
                .body("state", equalTo("OPEN")).body("teamName", equalTo("sdr-west")).extract().path("id");

        String manager = KeycloakTokens.accessToken(KeycloakTokens.MANAGER); // teams: [sdr-east]
        given().auth().oauth2(manager).contentType("application/json").body("{\"comment\":\"ok\"}")
                .post("/disputes/" + dispute + "/accept").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(manager).contentType("application/json").body("{\"comment\":\"no\"}")
                .post("/disputes/" + dispute + "/reject").then().statusCode(403);
        assertEquals("OPEN", Db.string("SELECT state FROM dispute WHERE id = ?::uuid", dispute));
        assertEquals(1, Db.count("SELECT count(*) FROM dispute_audit WHERE dispute_id = ?::uuid", dispute));
        assertEquals("ACTIVE", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", dq));
        // the manager does not even see it; marketing does
        given().auth().oauth2(manager).get("/disputes/" + dispute).then().statusCode(404);
        given().auth().oauth2(marketing).get("/disputes/" + dispute).then().statusCode(200)
                .body("audit", hasSize(1)).body("audit[0].action", equalTo("OPENED"));
        // marketing cannot decide its own dispute; a second open dispute on the same record conflicts
        given().auth().oauth2(marketing).contentType("application/json").body("{}")
                .post("/disputes/" + dispute + "/accept").then().statusCode(403);
        given().auth().oauth2(marketing).contentType("application/json").body("{\"comment\":\"again\"}")
                .post("/disqualifications/" + dq + "/disputes").then().statusCode(409);
        // a dispute without a comment is refused and not stored
        given().auth().oauth2(marketing).contentType("application/json").body("{\"comment\":\"\"}")
                .post("/disqualifications/" + disqualify(lead("sdr-west"), "SPAM", null) + "/disputes").then()
                .statusCode(422);
    }

    @Test
    void managerOfTheTeamAcceptsAndTheLeadGoesBackToRouting() throws Exception {
        UUID leadId = lead("sdr-east");
        String dq = disqualify(leadId, "NOT_ICP", null);
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        String dispute = given().auth().oauth2(marketing).contentType("application/json")
                .body("{\"comment\":\"Fits the ICP: 200 employees, SaaS\"}")
                .post("/disqualifications/" + dq + "/disputes").then().statusCode(201).extract().path("id");

        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER)).contentType("application/json")
                .body("{\"comment\":\"Agreed, rep misread the company\"}")
                .post("/disputes/" + dispute + "/accept").then()
                .statusCode(200).body("state", equalTo("ACCEPTED")).body("resolvedBy", equalTo("mark.manager"));

        JsonNode requalified = TestEvents.awaitMessage(rabbit, feedbackQueue,
                e -> "lead.requalified".equals(e.path("type").asText())
                        && leadId.toString().equals(e.path("data").path("leadId").asText()),
                Duration.ofSeconds(15));
        assertEquals(dispute, requalified.path("data").path("disputeId").asText());
        assertEquals("mark.manager", requalified.path("data").path("by").asText());
        assertEquals("hubspot", requalified.path("data").path("crm").asText());
        assertEquals("REQUALIFIED", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", dq));
        given().auth().oauth2(marketing).get("/disputes/" + dispute).then().statusCode(200)
                .body("audit.action", org.hamcrest.Matchers.contains("OPENED", "ACCEPTED"))
                .body("audit[1].actor", equalTo("mark.manager"));
        given().auth().oauth2(marketing).get("/disputes/stats").then().statusCode(200)
                .body("find { it.team == 'sdr-east' }.accepted", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        // deciding twice conflicts
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.ADMIN)).contentType("application/json")
                .body("{\"comment\":\"x\"}").post("/disputes/" + dispute + "/reject").then().statusCode(409);
    }

    @Test
    void rejectionNeedsACommentAndLeavesTheDisqualificationStanding() throws Exception {
        UUID leadId = lead("sdr-east");
        String dq = disqualify(leadId, "SPAM", null);
        String dispute = given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .contentType("application/json").body("{\"comment\":\"Real person, replied to our webinar\"}")
                .post("/disqualifications/" + dq + "/disputes").then().statusCode(201).extract().path("id");
        String manager = KeycloakTokens.accessToken(KeycloakTokens.MANAGER);
        given().auth().oauth2(manager).contentType("application/json").body("{}")
                .post("/disputes/" + dispute + "/reject").then().statusCode(422);
        assertEquals("OPEN", Db.string("SELECT state FROM dispute WHERE id = ?::uuid", dispute));
        given().auth().oauth2(manager).contentType("application/json").body("{\"comment\":\"Burner email\"}")
                .post("/disputes/" + dispute + "/reject").then().statusCode(200).body("state", equalTo("REJECTED"));
        assertEquals("ACTIVE", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", dq));
        given().auth().oauth2(manager).queryParam("team", "sdr-east").get("/disputes").then().statusCode(200)
                .body("items.id", hasItem(dispute));
    }
}
