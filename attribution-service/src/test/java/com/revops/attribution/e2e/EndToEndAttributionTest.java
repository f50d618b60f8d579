package com.revops.attribution.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.attribution.Fixtures;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * End to end over the real RabbitMQ and PostgreSQL: a lead, its touchpoints and a deal that is qualified and then
 * closed won arrive as gateway events on {@code crm.events} (and the first touch on {@code routing.events}); the
 * deal's attribution, QPC, sourced-vs-influenced and TTFT reflect them.
 */
@QuarkusTest
class EndToEndAttributionTest {

    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static String envelope(String type, String subject, String data) {
        return """
                {"specversion":"1.0","id":"%s","type":"%s","source":"/gateway","subject":"%s",
                 "dataschema":"urn:revops:schema:%s:1","data":%s}""".formatted(UUID.randomUUID(), type, subject, type,
                data);
    }

    static void publish(String exchange, String type, String subject, String data) throws Exception {
        rabbit.publish(exchange, type, UUID.randomUUID().toString(), envelope(type, subject, data));
    }

    @Test
    void touchpointsAndAClosedWonDealArrivingAsEventsAreAttributedAndCountInQpc() throws Exception {
        Fixtures.signDefinition("LINEAR");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID lead = UUID.randomUUID();
        UUID deal = UUID.randomUUID();
        String email = "ana-" + tag + "@e2e.example";
        String search = "search-" + tag;
        String events = "events-" + tag;

        publish("crm.events", "lead.created", "lead/" + lead, """
                {"leadId":"%s","crm":"hubspot","crmId":"c-%s","email":"%s","source":"paid-%s","channel":"%s",
                 "campaign":"q2-%s","createdAt":"2026-04-02T00:00:00Z"}"""
                .formatted(lead, tag, email, tag, search, tag));
        publish("crm.events", "touchpoint.recorded", "person/" + email, """
                {"touchpointId":"%s","crm":"hubspot","personEmail":"%s","occurredAt":"2026-04-01T10:00:00Z",
                 "type":"ad-click","channel":"%s","source":"google-ads","campaign":"q2-%s","team":"marketing"}"""
                .formatted(UUID.randomUUID(), email, search, tag));
        publish("crm.events", "touchpoint.recorded", "person/" + email, """
                {"touchpointId":"%s","crm":"hubspot","personEmail":"%s","occurredAt":"2026-04-03T10:00:00Z",
                 "type":"webinar","channel":"%s","source":"webinar","campaign":"webinar-%s","team":"marketing"}"""
                .formatted(UUID.randomUUID(), email, events, tag));
        // a touch after the close: shown, excluded
        publish("crm.events", "touchpoint.recorded", "person/" + email, """
                {"touchpointId":"%s","crm":"hubspot","personEmail":"%s","occurredAt":"2026-04-20T10:00:00Z",
                 "type":"email-click","channel":"email-%s","campaign":"nurture","team":"marketing"}"""
                .formatted(UUID.randomUUID(), email, tag));
        publish("crm.events", "deal.changed", "deal/" + deal, """
                {"dealId":"%s","crm":"hubspot","crmId":"d-%s","name":"E2E %s","stage":"qualifiedtobuy",
                 "amount":"2500.00","currency":"USD","contacts":"c-%s","contactLeadIds":{"c-%s":"%s"},
                 "isNew":true,"changes":{},"createdAt":"2026-04-05T00:00:00Z","modifiedAt":"2026-04-05T00:00:00Z"}"""
                .formatted(deal, tag, tag, tag, tag, lead));
        publish("crm.events", "deal.changed", "deal/" + deal, """
                {"dealId":"%s","crm":"hubspot","crmId":"d-%s","name":"E2E %s","stage":"closedwon",
                 "previousStage":"qualifiedtobuy","amount":"2500.00","currency":"USD","contactLeadIds":{"c-%s":"%s"},
                 "isNew":false,"changes":{"stage":{"from":"qualifiedtobuy","to":"closedwon"}},
                 "modifiedAt":"2026-04-15T00:00:00Z"}""".formatted(deal, tag, tag, tag, lead));
        publish("routing.events", "lead.first-touched", "lead/" + lead, """
                {"leadId":"%s","ownerUsername":"sam.sdr","channel":"%s","via":"activity","activityType":"call",
                 "touchedAt":"2026-04-02T00:03:00Z","ttftSeconds":180}""".formatted(lead, search));

        // the deal's attribution: linear over the two eligible touches, 1,250.00 each; the late one excluded
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            JsonPath a = given().auth().oauth2(Fixtures.marketing())
                    .when().get("/deals/" + deal + "/attribution?model=LINEAR").then().statusCode(200)
                    .body("won", equalTo(true)).body("closedAt", equalTo("2026-04-15T00:00:00Z"))
                    .extract().jsonPath();
            List<Integer> amounts = a.getList("touches.amountMinor", Integer.class);
            org.junit.jupiter.api.Assertions.assertEquals(List.of(125_000, 125_000, 0), amounts);
            org.junit.jupiter.api.Assertions.assertEquals("AFTER_CLOSE", a.getString("touches[2].exclusion"));
            org.junit.jupiter.api.Assertions.assertEquals(List.of("FIRST_TOUCH", "LEAD_CREATION"),
                    a.getList("touches[0].roles"));
        });

        // QPC of April by channel: the deal qualified on 2026-04-05 with 2,500.00, split by the signed LINEAR model
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/qpc?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z&groupBy=channel").then()
                .statusCode(200)
                .body("definition.status", equalTo("ACTIVE"))
                .body("freshness.dealsUpdatedAt", org.hamcrest.Matchers.notNullValue())
                .body("rows.find { it.key == '%s' }.amountMinor".formatted(search), equalTo(125_000))
                .body("rows.find { it.key == '%s' }.amountMinor".formatted(events), equalTo(125_000)));
        // the records behind the number
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/qpc/records?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z"
                        + "&groupBy=channel&key=" + search).then().statusCode(200)
                .body("rows.dealId", hasItem(deal.toString()))
                .body("rows.find { it.dealId == '%s' }.creditMinor".formatted(deal), equalTo(125_000));
        // sourced (first touch: search) next to influenced (both channels, non-additive) next to last touch
        given().auth().oauth2(Fixtures.marketing())
                .when().get("/metrics/sourced-vs-influenced?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then()
                .statusCode(200)
                .body("rows.find { it.channel == '%s' }.sourcedMinor".formatted(search), equalTo(250_000))
                .body("rows.find { it.channel == '%s' }.influencedMinor".formatted(events), equalTo(250_000))
                .body("rows.find { it.channel == '%s' }.lastTouchMinor".formatted(events), equalTo(250_000));
        // TTFT from routing, by channel
        given().auth().oauth2(Fixtures.marketing())
                .when().get("/metrics/ttft?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then().statusCode(200)
                .body("rows.find { it.channel == '%s' }.medianSeconds".formatted(search), equalTo(180.0f));
        // pipeline-to-revenue: marketing-sourced and won within the cycle
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/pipeline-to-revenue?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then()
                .statusCode(200).body("rows.key", hasItem("marketing-sourced"));
        // lead-to-opportunity by source
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/lead-to-opportunity?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then()
                .statusCode(200)
                .body("rows.find { it.source == 'paid-%s' }.opportunities".formatted(tag), equalTo(1));
        // and as a spreadsheet
        String csv = given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/qpc?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z&format=csv").then()
                .statusCode(200).header("X-Definition-Version", org.hamcrest.Matchers.notNullValue())
                .extract().asString();
        org.junit.jupiter.api.Assertions.assertTrue(csv.contains(search + ",125000,1"), csv);

        // the records behind the other metrics' values
        String april = "from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z";
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/sourced-vs-influenced/records?" + april + "&key=" + events).then()
                .statusCode(200)
                .body("rows.find { it.dealId == '%s' }.sourcedMinor".formatted(deal), equalTo(0))
                .body("rows.find { it.dealId == '%s' }.lastTouchMinor".formatted(deal), equalTo(250_000));
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/pipeline-to-revenue/records?" + april + "&key=marketing-sourced").then()
                .statusCode(200)
                .body("rows.find { it.dealId == '%s' }.wonWithinCycle".formatted(deal), equalTo(true));
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/lead-to-opportunity/records?" + april + "&key=paid-" + tag).then()
                .statusCode(200).body("rows[0].dealId", equalTo(deal.toString()));
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/ttft/records?" + april + "&key=" + search).then()
                .statusCode(200).body("rows[0].ttftSeconds", equalTo(180));

        // stage conversion and velocity of the April cohort
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/stage-conversion?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then()
                .statusCode(200).body("rows.stage", hasItem("qualifiedtobuy"))
                .body("rows.find { it.stage == 'won' }.reached", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/pipeline-velocity?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then()
                .statusCode(200).body("rows[0].won", org.hamcrest.Matchers.greaterThanOrEqualTo(1));
        // CAC payback: 1,000.00 spent on the campaign that sourced the 2,500.00 win;
        // monthly gross = 250,000 / 12 x 100% = 20,833.33 -> payback 100,000 / 20,833.33 = 4.8 months
        given().auth().oauth2(Fixtures.marketing()).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("campaign", "q2-" + tag, "segment", "seg-" + tag, "periodStart", "2026-04-01",
                        "periodEnd", "2026-04-30", "amount", "1000.00", "currency", "USD"))
                .when().post("/campaign-spend").then().statusCode(201);
        given().auth().oauth2(Fixtures.marketing()).contentType(io.restassured.http.ContentType.JSON)
                .body(Map.of("campaign", "q2-" + tag, "periodStart", "2026-04-01", "periodEnd", "2026-04-30",
                        "amount", "-1", "currency", "USD"))
                .when().post("/campaign-spend").then().statusCode(422);
        given().auth().oauth2(Fixtures.manager())
                .when().get("/metrics/cac-payback?from=2026-04-01T00:00:00Z&to=2026-05-01T00:00:00Z").then()
                .statusCode(200)
                .body("rows.find { it.segment == 'seg-%s' }.spendMinor".formatted(tag), equalTo(100_000))
                .body("rows.find { it.segment == 'seg-%s' }.sourcedWonMinor".formatted(tag), equalTo(250_000))
                .body("rows.find { it.segment == 'seg-%s' }.paybackMonths".formatted(tag),
                        equalTo(4.8f));
    }

    @Test
    void aNegativeDealAmountOnTheBusIsDeadLetteredAndNotStored() throws Exception {
        String dlq = "attribution-test.crm-events.dlq";
        rabbit.purge(dlq);
        UUID deal = UUID.randomUUID();
        publish("crm.events", "deal.changed", "deal/" + deal, """
                {"dealId":"%s","crm":"hubspot","crmId":"neg-%s","stage":"qualifiedtobuy","amount":"-5.00",
                 "currency":"USD","isNew":true,"modifiedAt":"2026-04-05T00:00:00Z"}""".formatted(deal, deal));
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(dlq) >= 1);
        given().auth().oauth2(Fixtures.admin()).when().get("/deals/" + deal).then().statusCode(404);
    }

    static Map<String, Object> none() {
        return Map.of();
    }
}
