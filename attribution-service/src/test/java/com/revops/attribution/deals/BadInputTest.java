package com.revops.attribution.deals;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.revops.attribution.Fixtures;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Negative amounts, unknown currencies, touches without a time: a clear 4xx problem and nothing stored. */
@QuarkusTest
class BadInputTest {

    static Map<String, Object> deal(UUID id, Object amount, String currency) {
        return Map.of("id", id.toString(), "crm", "hubspot", "crmId", "bad-" + id, "name", "Bad deal",
                "createdAt", "2026-01-10T00:00:00Z",
                "stageHistory", List.of(Map.of("at", "2026-01-10T00:00:00Z", "stage", "appointmentscheduled")),
                "amountHistory", List.of(Map.of("at", "2026-01-10T00:00:00Z", "amount", amount, "currency", currency)));
    }

    @Test
    void aNegativeAmountIsRejectedAndNothingIsStored() {
        UUID id = UUID.randomUUID();
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(deal(id, -100, "USD"))
                .when().post("/deals").then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("amountHistory[0].amount"));
        given().auth().oauth2(Fixtures.admin()).when().get("/deals/" + id).then().statusCode(404)
                .contentType("application/problem+json");
    }

    @Test
    void anUnknownCurrencyIsRejectedAndNothingIsStored() {
        UUID id = UUID.randomUUID();
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(deal(id, 100, "XYZ"))
                .when().post("/deals").then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("amountHistory[0].currency"));
        given().auth().oauth2(Fixtures.admin()).when().get("/deals/" + id).then().statusCode(404);
    }

    @Test
    void moreDecimalsThanTheCurrencyHasAreRejected() {
        UUID id = UUID.randomUUID();
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(deal(id, "10.5", "JPY"))
                .when().post("/deals").then().statusCode(422);
        given().auth().oauth2(Fixtures.admin()).when().get("/deals/" + id).then().statusCode(404);
    }

    @Test
    void aTouchWithoutATimeIsRejectedAndNothingIsStored() {
        String campaign = "no-time-rest-" + UUID.randomUUID().toString().substring(0, 8);
        UUID id = UUID.randomUUID();
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Map.of("id", id.toString(), "crm", "hubspot", "personEmail", "x@example.com", "type", "webinar",
                        "channel", "events", "campaign", campaign))
                .when().post("/touchpoints").then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("occurredAt"));
        given().auth().oauth2(Fixtures.marketing()).when().get("/touchpoints?campaign=" + campaign).then()
                .statusCode(200).body("total", equalTo(0));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body("{\"crm\": ")
                .when().post("/deals").then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void badRatesAreRejectedAsAWhole() {
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(List.of(Map.of("currency", "GBP", "validFrom", "2026-01-01", "rate", 1.27),
                        Map.of("currency", "ABC", "validFrom", "2026-01-01", "rate", -1)))
                .when().post("/exchange-rates").then().statusCode(422)
                .body("violations.field", hasItem("[1].currency")).body("violations.field", hasItem("[1].rate"));
        given().auth().oauth2(Fixtures.admin()).when().get("/exchange-rates?currency=GBP").then().statusCode(200)
                .body("size()", equalTo(0));
    }

    @Test
    void onlyAdminsImportDeals() {
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(deal(UUID.randomUUID(), 100, "USD")).when().post("/deals").then().statusCode(403);
        given().when().get("/deals").then().statusCode(401);
    }
}
