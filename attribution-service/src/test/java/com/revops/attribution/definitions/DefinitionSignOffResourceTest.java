package com.revops.attribution.definitions;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revops.attribution.Fixtures;
import com.revops.platform.testing.KeycloakTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** revops-admin drafts; one sales-manager AND one marketing-ops must approve before a definition takes effect. */
@QuarkusTest
class DefinitionSignOffResourceTest {

    static int activeVersion() {
        return given().auth().oauth2(Fixtures.manager()).when().get("/definitions/active").then().statusCode(200)
                .extract().path("version");
    }

    static int draft(Map<String, Object> body) {
        return given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(body)
                .when().post("/definitions").then().statusCode(201).body("status", equalTo("DRAFT"))
                .extract().path("version");
    }

    @Test
    void aDefinitionSignedBySalesOnlyDoesNotTakeEffect() {
        int before = activeVersion();
        int version = draft(Fixtures.definition("W_SHAPED"));
        given().auth().oauth2(Fixtures.manager()).when().post("/definitions/" + version + "/approvals").then()
                .statusCode(200).body("status", equalTo("DRAFT")).body("salesApprovedBy", equalTo("mark.manager"));
        assertEquals(before, activeVersion(), "one signature must not change the definition in effect");
        // metrics keep stating the old version
        given().auth().oauth2(Fixtures.marketing())
                .when().get("/metrics/qpc?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z").then()
                .statusCode(200).body("definition.version", equalTo(before));
    }

    @Test
    void aDefinitionSignedByMarketingOnlyDoesNotTakeEffect() {
        int before = activeVersion();
        int version = draft(Fixtures.definition("LINEAR"));
        given().auth().oauth2(Fixtures.marketing()).when().post("/definitions/" + version + "/approvals").then()
                .statusCode(200).body("status", equalTo("DRAFT"));
        assertEquals(before, activeVersion());
    }

    @Test
    void bothSidesSigningActivatesItAndSupersedesThePrevious() {
        int first = Fixtures.signDefinition("U_SHAPED");
        assertEquals(first, activeVersion());
        int second = draft(Fixtures.definition("FULL_PATH"));
        given().auth().oauth2(Fixtures.marketing()).when().post("/definitions/" + second + "/approvals").then()
                .statusCode(200);
        assertEquals(first, activeVersion());
        given().auth().oauth2(Fixtures.manager()).when().post("/definitions/" + second + "/approvals").then()
                .statusCode(200).body("status", equalTo("ACTIVE")).body("activatedAt", notNullValue());
        assertEquals(second, activeVersion());
        given().auth().oauth2(Fixtures.admin()).when().get("/definitions/" + first).then()
                .body("status", equalTo("SUPERSEDED"));
        // an active definition cannot be signed again
        given().auth().oauth2(Fixtures.marketing()).when().post("/definitions/" + second + "/approvals").then()
                .statusCode(409).contentType("application/problem+json");
    }

    @Test
    void aSideIsSignedOnceAndOnlyByItsRole() {
        int version = draft(Fixtures.definition("LINEAR"));
        given().auth().oauth2(Fixtures.manager()).when().post("/definitions/" + version + "/approvals").then()
                .statusCode(200);
        given().auth().oauth2(Fixtures.manager()).when().post("/definitions/" + version + "/approvals").then()
                .statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(Fixtures.manager()).when().post("/definitions/" + version + "/approvals?side=MARKETING")
                .then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1))
                .when().post("/definitions/" + version + "/approvals").then().statusCode(403);
        given().auth().oauth2(Fixtures.admin()).when().post("/definitions/" + version + "/approvals").then()
                .statusCode(403);
    }

    @Test
    void onlyRevopsAdminDraftsAndInvalidDraftsAreRejected() {
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Fixtures.definition("LINEAR")).when().post("/definitions").then().statusCode(403);
        Map<String, Object> bad = new HashMap<>(Fixtures.definition("NO_SUCH_MODEL"));
        bad.put("reportingCurrency", "XYZ");
        bad.put("wonStages", java.util.List.of("closedlost"));
        int countBefore = given().auth().oauth2(Fixtures.admin()).when().get("/definitions").then().extract()
                .path("size()");
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON).body(bad)
                .when().post("/definitions").then().statusCode(422).contentType("application/problem+json")
                .body("violations.field", hasItem("model")).body("violations.field", hasItem("reportingCurrency"))
                .body("violations.field", hasItem("wonStages"));
        given().auth().oauth2(Fixtures.admin()).when().get("/definitions").then()
                .body("size()", equalTo(countBefore)).body("status", not(hasItem("BROKEN")));
    }
}
