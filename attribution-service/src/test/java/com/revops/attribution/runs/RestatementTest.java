package com.revops.attribution.runs;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.revops.attribution.Fixtures;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** A restatement keeps the old run untouched and reports the diff per channel and campaign. */
@QuarkusTest
class RestatementTest {

    static String tag() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    static void touch(String email, String at, String channel, String campaign) {
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Map.of("crm", "hubspot", "personEmail", email, "occurredAt", at, "type", "ad-click",
                        "channel", channel, "source", channel, "campaign", campaign, "team", "marketing"))
                .when().post("/touchpoints").then().statusCode(201);
    }

    static void deal(UUID id, UUID lead, String tag, String amount) {
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Map.of("id", id.toString(), "crm", "hubspot", "crmId", "r-" + tag, "name", "Restated " + tag,
                        "createdAt", "2026-03-10T00:00:00Z",
                        "stageHistory", List.of(Map.of("at", "2026-03-10T00:00:00Z", "stage", "qualifiedtobuy"),
                                Map.of("at", "2026-03-20T00:00:00Z", "stage", "closedwon")),
                        "amountHistory", List.of(Map.of("at", "2026-03-10T00:00:00Z", "amount", amount,
                                "currency", "USD")),
                        "contacts", List.of(Map.of("leadId", lead.toString(), "role", "champion", "primary", true))))
                .when().post("/deals").then().statusCode(201);
    }

    static String runAndWait(String model) {
        String id = given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Map.of("model", model)).when().post("/runs").then().statusCode(202)
                .body("status", equalTo("RUNNING")).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(Fixtures.marketing())
                .when().get("/runs/" + id).then().statusCode(200).body("status", equalTo("COMPLETED"))
                .body("progress", equalTo(1.0f)));
        return id;
    }

    static long dealTotal(String runId, UUID deal) {
        JsonPath credits = given().auth().oauth2(Fixtures.marketing())
                .when().get("/runs/" + runId + "/credits?dealId=" + deal + "&size=1000").then().statusCode(200)
                .extract().jsonPath();
        return credits.getList("amountMinor", Long.class).stream().mapToLong(Long::longValue).sum();
    }

    @Test
    void aRestatementKeepsTheOldRunAndShowsTheDiff() {
        Fixtures.signDefinition("LINEAR");
        String tag = tag();
        UUID lead = UUID.randomUUID();
        UUID dealId = UUID.randomUUID();
        String email = "buyer-" + tag + "@restate.example";
        // the touches are linked to the person through the deal's contact lead id
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Map.of("crm", "hubspot", "leadId", lead.toString(), "personEmail", email,
                        "occurredAt", "2026-03-01T00:00:00Z", "type", "ad-click", "channel", "paid-" + tag,
                        "campaign", "spring-" + tag, "team", "marketing"))
                .when().post("/touchpoints").then().statusCode(201);
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Map.of("crm", "hubspot", "leadId", lead.toString(), "personEmail", email,
                        "occurredAt", "2026-03-05T00:00:00Z", "type", "webinar", "channel", "events-" + tag,
                        "campaign", "webinar-" + tag, "team", "marketing"))
                .when().post("/touchpoints").then().statusCode(201);
        deal(dealId, lead, tag, "1000.00");

        String v1 = runAndWait("LINEAR");
        // 1,000.00 linear over 2 touches: 500.00 each
        assertEquals(100_000L, dealTotal(v1, dealId));
        List<Map<String, Object>> before = given().auth().oauth2(Fixtures.marketing())
                .when().get("/runs/" + v1 + "/credits?dealId=" + dealId).then().extract().jsonPath().getList("$");

        // history changes: the amount is corrected to 1,300.00 -> restatement
        deal(dealId, lead, tag, "1300.00");
        String v2 = runAndWait("LINEAR");
        int version1 = given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + v1).then().extract()
                .path("version");
        given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + v2).then()
                .body("version", equalTo(version1 + 1)).body("previousRunId", equalTo(v1));

        // the old run is unchanged
        assertEquals(100_000L, dealTotal(v1, dealId));
        assertEquals(before, given().auth().oauth2(Fixtures.marketing())
                .when().get("/runs/" + v1 + "/credits?dealId=" + dealId).then().extract().jsonPath().getList("$"));
        assertEquals(130_000L, dealTotal(v2, dealId));

        // the diff per channel and campaign: each touch +150.00
        JsonPath diff = given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + v2 + "/diff").then()
                .statusCode(200).extract().jsonPath();
        List<Map<String, Object>> lines = diff.getList("lines");
        Map<String, Object> paid = lines.stream().filter(l -> ("paid-" + tag).equals(l.get("channel"))).findFirst()
                .orElseThrow();
        assertEquals("spring-" + tag, paid.get("campaign"));
        assertEquals(50_000, ((Number) paid.get("beforeMinor")).intValue());
        assertEquals(65_000, ((Number) paid.get("afterMinor")).intValue());
        assertEquals(15_000, ((Number) paid.get("deltaMinor")).intValue());
        assertTrue(lines.stream().anyMatch(l -> ("events-" + tag).equals(l.get("channel"))
                && ((Number) l.get("deltaMinor")).intValue() == 15_000));

        // the run's log tells how it went; its credits export as CSV
        given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + v2 + "/log").then().statusCode(200)
                .body("line[0]", org.hamcrest.Matchers.startsWith("run started"));
        String csv = given().auth().oauth2(Fixtures.marketing())
                .when().get("/runs/" + v2 + "/credits?format=csv&dealId=" + dealId).then().statusCode(200)
                .contentType("text/csv").extract().asString();
        assertTrue(csv.startsWith("deal_id,touchpoint_id,line,channel"), csv);
        assertEquals(3, csv.split("\r\n").length, csv);
    }

    @jakarta.inject.Inject
    io.vertx.mutiny.sqlclient.Pool pool;

    @jakarta.inject.Inject
    RunReaper reaper;

    @Test
    void aRunWhoseReplicaStoppedIsFailedByTheReaper() throws Throwable {
        UUID id = UUID.randomUUID();
        io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(() -> pool.preparedQuery("""
                INSERT INTO attribution_run (id, model, run_version, settings, definition_version, data_as_of, status,
                                             heartbeat_at)
                VALUES ($1, 'LINEAR', 100000 + (random() * 100000)::int, '{}'::jsonb, 0, now(), 'RUNNING',
                        now() - interval '1 hour')""").execute(io.vertx.mutiny.sqlclient.Tuple.of(id)));
        int reaped = io.quarkus.vertx.VertxContextSupport.subscribeAndAwait(
                () -> reaper.reap(Duration.ofMinutes(10)));
        assertTrue(reaped >= 1);
        given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + id).then()
                .body("status", equalTo("FAILED"))
                .body("error", org.hamcrest.Matchers.startsWith("no progress for 10 minutes"));
        given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + id + "/log").then()
                .body("line", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("failed: no progress")));
    }

    @Test
    void unknownModelIsRejected() {
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON).body(Map.of("model", "MAGIC"))
                .when().post("/runs").then().statusCode(422).contentType("application/problem+json");
    }

    @Test
    void markovAndShapleyRunsFitOnTheJourneysFirst() {
        String markov = runAndWait("MARKOV");
        given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + markov).then()
                .body("settings.channelWeights", org.hamcrest.Matchers.notNullValue());
        String shapley = runAndWait("SHAPLEY");
        given().auth().oauth2(Fixtures.marketing()).when().get("/runs/" + shapley + "/log").then()
                .body("line", org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("Shapley")));
    }
}
