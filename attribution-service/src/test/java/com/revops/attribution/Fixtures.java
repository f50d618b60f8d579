package com.revops.attribution;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.util.Map;

import com.revops.platform.testing.KeycloakTokens;

import io.restassured.http.ContentType;

/** Shared steps of the service tests (real Keycloak tokens). */
public final class Fixtures {

    private Fixtures() {
    }

    private static final Map<String, Object[]> TOKENS = new java.util.concurrent.ConcurrentHashMap<>();

    /** A token for a demo user, reused for a minute (fewer password grants against the shared Keycloak). */
    public static String token(String user) {
        Object[] cached = TOKENS.get(user);
        long now = System.currentTimeMillis();
        if (cached != null && now - (long) cached[1] < 60_000) {
            return (String) cached[0];
        }
        String token = KeycloakTokens.accessToken(user);
        TOKENS.put(user, new Object[] {token, now});
        return token;
    }

    public static String admin() {
        return token(KeycloakTokens.ADMIN);
    }

    public static String manager() {
        return token(KeycloakTokens.MANAGER);
    }

    public static String marketing() {
        return token(KeycloakTokens.MARKETING);
    }

    /** The definition body the tests sign (HubSpot stage names, U-shaped, contact roles, USD). */
    public static Map<String, Object> definition(String model) {
        return Map.of("qualifiedStages", java.util.List.of("qualifiedtobuy", "presentationscheduled"),
                "wonStages", java.util.List.of("closedwon"), "lostStages", java.util.List.of("closedlost"),
                "expectedCycleDays", 90, "model", model, "scope", "CONTACT_ROLES", "lookbackDays", 365,
                "halfLifeDays", 7, "reportingCurrency", "USD");
    }

    /** Drafts a definition and has both sides sign it; its version. */
    public static int signDefinition(String model) {
        int version = given().auth().oauth2(admin()).contentType(ContentType.JSON).body(definition(model))
                .when().post("/definitions").then().statusCode(201).extract().path("version");
        given().auth().oauth2(manager()).when().post("/definitions/" + version + "/approvals").then().statusCode(200);
        given().auth().oauth2(marketing()).when().post("/definitions/" + version + "/approvals").then()
                .statusCode(200).body("status", equalTo("ACTIVE"));
        return version;
    }
}
