package com.revops.feedback.insights;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;
import com.revops.platform.testing.KeycloakTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Aggregates are served from the cache until a disqualification arrives through the service: a change written
 * behind the service's back (straight into the database) is not seen, one captured by the service is. Period:
 * February 2003, used by no other test.
 */
@QuarkusTest
class InsightsCacheTest {

    static final String FROM = "2003-02-01T00:00:00Z";
    static final String TO = "2003-03-01T00:00:00Z";

    @Test
    void cachedAggregatesAreInvalidatedByANewDisqualification() throws Exception {
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        UUID[] leads = {UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID()};
        for (UUID lead : leads) {
            Db.lead(lead, "hubspot", "hs-" + lead.toString().substring(0, 8), "Cache Co", "cache-src",
                    "cache-" + lead, "sam.sdr", "sdr-east", Instant.parse("2003-02-10T10:00:00Z"));
        }
        given().auth().oauth2(marketing).queryParam("dimension", "source").queryParam("from", FROM)
                .queryParam("to", TO).get("/insights/aggregates").then().statusCode(200)
                .body("leads", equalTo(3)).body("disqualified", equalTo(0));

        // behind the service's back: the cached answer stands
        Db.update("""
                INSERT INTO disqualification (id, lead_id, crm, crm_id, state, reason_state, reason_code,
                  reason_category, disqualified_at, captured_via, no_contact_attempt)
                VALUES (gen_random_uuid(), ?, 'hubspot', 'x', 'ACTIVE', 'PROVIDED', 'SPAM', 'spam',
                  '2003-02-12T10:00:00Z', 'api', false)""", leads[0]);
        given().auth().oauth2(marketing).queryParam("dimension", "source").queryParam("from", FROM)
                .queryParam("to", TO).get("/insights/aggregates").then().statusCode(200)
                .body("disqualified", equalTo(0));

        // through the service: the cache is cleared, both show
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.ADMIN)).contentType("application/json")
                .body(Map.of("leadId", leads[1].toString(), "reasonCode", "NOT_ICP",
                        "disqualifiedAt", "2003-02-13T10:00:00Z"))
                .post("/disqualifications").then().statusCode(201);
        given().auth().oauth2(marketing).queryParam("dimension", "source").queryParam("from", FROM)
                .queryParam("to", TO).get("/insights/aggregates").then().statusCode(200)
                .body("disqualified", equalTo(2));
    }
}
