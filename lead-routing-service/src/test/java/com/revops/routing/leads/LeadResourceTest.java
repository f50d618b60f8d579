package com.revops.routing.leads;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** An SDR, with a real Keycloak token, sees their own leads and nobody else's. */
@QuarkusTest
class LeadResourceTest {

    @Inject
    Pool pool;

    UUID samsLead;
    UUID sarasLead;

    @BeforeEach
    void seed() {
        samsLead = insert("sam.sdr");
        sarasLead = insert("sara.sdr");
    }

    UUID insert(String owner) {
        UUID id = UUID.randomUUID();
        // already assigned: a NEW lead would be taken by the new-lead router
        pool.preparedQuery("INSERT INTO lead (id, crm, crm_id, email, channel, owner_username, status, assigned_at) "
                + "VALUES ($1, 'hubspot', $2, 'x@example.com', 'webinar', $3, 'ASSIGNED', now())")
                .execute(Tuple.of(id, "hs-" + id, owner)).await().atMost(Duration.ofSeconds(5));
        return id;
    }

    @Test
    void sdrTokenIsAcceptedAndListsOnlyOwnLeads() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1))
                .when().get("/leads?size=500").then()
                .statusCode(200)
                .body("items.owner", everyItem(equalTo("sam.sdr")));
    }

    @Test
    void sdrGets404ForAnotherRepsLead() {
        String sam = KeycloakTokens.accessToken(KeycloakTokens.SDR_1);
        given().auth().oauth2(sam).when().get("/leads/" + samsLead).then().statusCode(200);
        given().auth().oauth2(sam).when().get("/leads/" + sarasLead).then()
                .statusCode(404).contentType("application/problem+json");
    }

    @Test
    void managerSeesEveryLeadAndCanFilterByOwner() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER))
                .when().get("/leads?owner=sara.sdr&size=500").then()
                .statusCode(200)
                .body("items.owner", everyItem(equalTo("sara.sdr")));
    }

    @Test
    void marketingOpsHasNoAccessToTheLeadQueue() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .when().get("/leads").then().statusCode(403);
    }

    @Test
    void invalidPagingIsA400Problem() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER))
                .when().get("/leads?size=100000").then()
                .statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("size"));
    }

    @Test
    void unknownLeadIs404() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER))
                .when().get("/leads/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
    }
}
