package com.revops.feedback.insights;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.closeTo;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;
import com.revops.feedback.web.CsvParser;
import com.revops.platform.testing.KeycloakTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The hand-computed fixture of {@link RateTableAndScoringFixtureTest}, loaded into the database in a period no
 * other test uses (March 2001), read back through the API:
 * fixture-a: 40 leads, 16 NOT_ICP + 4 BAD_TIMING; fixture-b: 60 leads, 6 BAD_TIMING. Baseline 26/100 = 0.26.
 * Plus one re-qualified and one re-opened disqualification in fixture-b, which must not count.
 */
@QuarkusTest
class InsightsApiTest {

    static final String FROM = "2001-03-01T00:00:00Z";
    static final String TO = "2001-04-01T00:00:00Z";

    @BeforeAll
    static void loadFixture() throws Exception {
        // JSON numbers as doubles: the default (float) would lose the precision the fixture checks
        io.restassured.RestAssured.config = io.restassured.RestAssured.config().jsonConfig(
                io.restassured.config.JsonConfig.jsonConfig().numberReturnType(
                        io.restassured.path.json.config.JsonPathConfig.NumberReturnType.DOUBLE));
        if (Db.count("SELECT count(*) FROM lead_context WHERE source LIKE 'fixture-%'") > 0) {
            return;
        }
        Instant base = Instant.parse("2001-03-05T10:00:00Z");
        try (Connection c = Db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement lead = c.prepareStatement("""
                    INSERT INTO lead_context (lead_id, crm, crm_id, source, channel, country, crm_created_at,
                      first_seen_at, updated_at) VALUES (?, 'hubspot', ?, ?, 'web', ?, ?, ?, now())""");
                    PreparedStatement dq = c.prepareStatement("""
                    INSERT INTO disqualification (id, lead_id, crm, crm_id, state, reason_state, reason_code,
                      reason_category, disqualified_at, captured_via, no_contact_attempt)
                    VALUES (?, ?, 'hubspot', ?, ?, 'PROVIDED', ?, ?, ?, 'event', false)""")) {
                for (int i = 0; i < 100; i++) {
                    boolean a = i < 40;
                    UUID id = UUID.randomUUID();
                    Instant created = base.plus(Duration.ofDays(i % 20));
                    lead.setObject(1, id);
                    lead.setString(2, "fx-" + i);
                    lead.setString(3, a ? "fixture-a" : "fixture-b");
                    lead.setString(4, a ? "US" : "DE");
                    lead.setTimestamp(5, Timestamp.from(created));
                    lead.setTimestamp(6, Timestamp.from(created));
                    lead.addBatch();
                    String code = null;
                    String state = "ACTIVE";
                    if (a && i < 16) {
                        code = "NOT_ICP";
                    } else if (a && i < 20) {
                        code = "BAD_TIMING";
                    } else if (!a && i < 46) {
                        code = "BAD_TIMING";
                        state = i == 45 ? "RECYCLED" : "ACTIVE";
                    } else if (i == 46) {
                        code = "SPAM";
                        state = "REQUALIFIED";
                    } else if (i == 47) {
                        code = "NOT_ICP";
                        state = "REOPENED";
                    }
                    if (code != null) {
                        dq.setObject(1, UUID.randomUUID());
                        dq.setObject(2, id);
                        dq.setString(3, "fx-" + i);
                        dq.setString(4, state);
                        dq.setString(5, code);
                        dq.setString(6, code.equals("BAD_TIMING") ? "timing" : code.equals("SPAM") ? "spam" : "fit");
                        dq.setTimestamp(7, Timestamp.from(created.plus(Duration.ofDays(2))));
                        dq.addBatch();
                    }
                }
                lead.executeBatch();
                dq.executeBatch();
            }
            c.commit();
        }
    }

    @Test
    void aggregatesBySourceMatchTheHandComputedFixture() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .queryParam("dimension", "source").queryParam("from", FROM).queryParam("to", TO)
                .get("/insights/aggregates").then().statusCode(200)
                .body("leads", equalTo(100))
                .body("disqualified", equalTo(26))
                .body("baselineRate", closeTo(0.26, 1e-9))
                .body("baselineInterval.lower", closeTo(0.184046, 2e-6))
                .body("baselineInterval.upper", closeTo(0.353712, 2e-6))
                .body("values[0].value", equalTo("fixture-b"))
                .body("values[0].rate", closeTo(0.1, 1e-9))
                .body("values[0].lift", closeTo(0.384615, 1e-6))
                .body("values[0].deltaPoints", closeTo(-16.0, 1e-6))
                .body("values[0].interval.lower", closeTo(0.046642, 2e-6))
                .body("values[0].interval.upper", closeTo(0.201497, 2e-6))
                .body("values[1].value", equalTo("fixture-a"))
                .body("values[1].rate", closeTo(0.5, 1e-9))
                .body("values[1].lift", closeTo(1.923077, 1e-6))
                .body("values[1].reasonShare.NOT_ICP", closeTo(0.8, 1e-9))
                .body("values[1].categoryShareDelta.fit", closeTo(0.184615, 1e-6));
    }

    @Test
    void scoringFeedbackMatchesTheFixtureAndIsPublished() throws Exception {
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        given().auth().oauth2(marketing).queryParam("dimensions", "source").queryParam("from", FROM)
                .queryParam("to", TO).get("/insights/scoring-feedback").then().statusCode(200)
                .body("[0].baselineFitRate", closeTo(0.16, 1e-9))
                .body("[0].values.find { it.value == 'fixture-a' }.adjustment", equalTo(-10))
                .body("[0].values.find { it.value == 'fixture-a' }.fitInterval.lower", closeTo(0.263481, 2e-6))
                .body("[0].values.find { it.value == 'fixture-b' }.adjustment", equalTo(10))
                .body("[0].values.find { it.value == 'fixture-b' }.basis", equalTo("better-than-baseline"));
        given().auth().oauth2(marketing).queryParam("dimensions", "source,country").queryParam("from", FROM)
                .queryParam("to", TO).post("/insights/scoring-feedback/publish").then().statusCode(200)
                .body("dimensions.size()", equalTo(2)).body("crmWrites", equalTo(0));
        // written to the CRM too: source and country split the fixture the same way (a = US, b = DE), so an open
        // a-lead gets -10 + -10 = -20 and an open b-lead +20 (the cap is 20); open leads: 20 in a, 54 in b
        // (60 minus the 6 standing disqualifications; the re-qualified and the re-opened one are open again)
        given().auth().oauth2(marketing).queryParam("dimensions", "source,country").queryParam("from", FROM)
                .queryParam("to", TO).queryParam("writeToCrm", true).post("/insights/scoring-feedback/publish")
                .then().statusCode(200).body("crmWrites", equalTo(74)).body("crmWritesCapped", equalTo(false));
        assertEquals(74, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'record.fields.set' "
                + "AND subject LIKE 'lead/hubspot/fx-%'"));
        assertEquals("-20", Db.string("SELECT envelope->'data'->'fields'->>'feedback_score_adjustment' "
                + "FROM outbox_event WHERE event_type = 'record.fields.set' AND subject = 'lead/hubspot/fx-25'"));
        assertEquals("20", Db.string("SELECT envelope->'data'->'fields'->>'feedback_score_adjustment' "
                + "FROM outbox_event WHERE event_type = 'record.fields.set' AND subject = 'lead/hubspot/fx-70'"));
        assertEquals(0, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'record.fields.set' "
                + "AND subject = 'lead/hubspot/fx-3'")); // disqualified: not scored
        given().auth().oauth2(marketing).queryParam("dimensions", "shoe-size").get("/insights/scoring-feedback")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void trendsAndTrainingExportCoverTheCohort() throws Exception {
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        given().auth().oauth2(marketing).queryParam("from", FROM).queryParam("to", TO).queryParam("interval", "month")
                .get("/insights/trends").then().statusCode(200)
                .body("size()", equalTo(1)).body("[0].leads", equalTo(100)).body("[0].disqualified", equalTo(26));
        byte[] csv = given().auth().oauth2(marketing).queryParam("from", FROM).queryParam("to", TO)
                .get("/insights/training-export.csv").then().statusCode(200).extract().asByteArray();
        List<List<String>> rows = CsvParser.parse(new String(csv, StandardCharsets.UTF_8));
        assertEquals(101, rows.size());
        int fit = rows.get(0).indexOf("fitLabel");
        int outcome = rows.get(0).indexOf("outcome");
        assertEquals(16, rows.stream().filter(r -> "negative".equals(r.get(fit))).count());
        assertEquals(10, rows.stream().filter(r -> "neutral".equals(r.get(fit))).count());
        assertEquals(1, rows.stream().filter(r -> "requalified".equals(r.get(outcome))).count());
        assertEquals(1, rows.stream().filter(r -> "recycled".equals(r.get(outcome))).count());
    }
}
