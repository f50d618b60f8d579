package com.revops.feedback.taxonomy;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;
import com.revops.platform.testing.KeycloakTokens;

import io.quarkus.test.junit.QuarkusTest;

/** The taxonomy is readable by everyone, changed only by RevOps admins, and every change is a new version. */
@QuarkusTest
class TaxonomyApiTest {

    @Test
    void defaultTaxonomyIsSeededWithCrmMappings() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).get("/taxonomy").then()
                .statusCode(200)
                .body("codes.code", hasItems("NO_BUDGET", "NOT_ICP", "BAD_TIMING", "UNRESPONSIVE", "WRONG_CONTACT",
                        "INVALID_DATA", "COMPETITOR_CHOSEN", "DUPLICATE", "SPAM", "STUDENT_OR_JOB_SEEKER", "OTHER"))
                .body("codes.find { it.code == 'OTHER' }.noteRequired", equalTo(true))
                .body("codes.find { it.code == 'BAD_TIMING' }.recycleAfterDays", equalTo(90))
                .body("mappings.find { it.crm == 'salesforce' && it.crmValue == 'Bad Timing' }.code",
                        equalTo("BAD_TIMING"))
                .body("mappings.find { it.crm == 'hubspot' && it.crmValue == 'not_icp' }.code", equalTo("NOT_ICP"));
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING)).get("/taxonomy/versions/1")
                .then().statusCode(200).body("snapshot.codes.size()", equalTo(11));
    }

    @Test
    void adminChangesMakeNewVersionsAndOthersAreRefused() throws Exception {
        String code = "TEST_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase().replace('-', '_');
        Map<String, Object> body = Map.of("code", code, "label", "Test reason", "category", "timing",
                "recyclable", true, "recycleAfterDays", 30);
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING)).contentType("application/json")
                .body(body).post("/taxonomy/codes").then().statusCode(403).contentType("application/problem+json");
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        int before = given().auth().oauth2(admin).get("/taxonomy").then().extract().path("version");
        given().auth().oauth2(admin).contentType("application/json").body(body).post("/taxonomy/codes").then()
                .statusCode(201).body("code", equalTo(code)).body("version", greaterThan(before));
        given().auth().oauth2(admin).contentType("application/json").body(body).post("/taxonomy/codes").then()
                .statusCode(409);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("crm", "salesforce", "crmValue", "Testing " + code, "code", code))
                .post("/taxonomy/mappings").then().statusCode(201);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("crm", "salesforce", "crmValue", "testing " + code.toLowerCase(), "code", "SPAM"))
                .post("/taxonomy/mappings").then().statusCode(409);
        given().auth().oauth2(admin).get("/taxonomy/versions").then().statusCode(200)
                .body("change", hasItem("created code " + code));
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("active", false))
                .put("/taxonomy/codes/" + code).then().statusCode(200).body("active", equalTo(false));
    }

    @Test
    void invalidCodesAreRefusedAndNothingIsStored() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        long versions = Db.count("SELECT count(*) FROM taxonomy_version");
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("code", "lower case", "label", "x", "category", "mood"))
                .post("/taxonomy/codes").then().statusCode(422)
                .body("violations.field", hasItems("code", "category"));
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("code", "NEEDS_DAYS", "label", "x", "category", "timing", "recyclable", true))
                .post("/taxonomy/codes").then().statusCode(422).body("violations.field", hasItem("recycleAfterDays"));
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("crm", "pipedrive", "crmValue", "x", "code", "SPAM"))
                .post("/taxonomy/mappings").then().statusCode(422);
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("crm", "hubspot", "crmValue", "x", "code", "NOPE"))
                .post("/taxonomy/mappings").then().statusCode(422);
        assertEquals(versions, Db.count("SELECT count(*) FROM taxonomy_version"));
        assertEquals(0, Db.count("SELECT count(*) FROM reason_code WHERE code = 'NEEDS_DAYS'"));
    }
}
