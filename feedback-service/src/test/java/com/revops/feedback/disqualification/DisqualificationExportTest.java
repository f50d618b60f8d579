package com.revops.feedback.disqualification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;
import com.revops.feedback.web.CsvParser;
import com.revops.platform.testing.KeycloakTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** The list pages with a cursor; the CSV export is RFC 4180 UTF-8 that a strict reader parses back. */
@QuarkusTest
class DisqualificationExportTest {

    static final String TRICKY_COMPANY = "Zoë, \"Ünïcode\" & Søn GmbH";
    static final String TRICKY_NOTE = "said: \"call me in Q3\", then\nhung up — 日本語";

    @Test
    void csvExportRoundTripsQuotesCommasLineBreaksAndUnicode() throws Exception {
        String campaign = "csv-" + UUID.randomUUID();
        UUID tricky = UUID.randomUUID();
        Db.lead(tricky, "salesforce", "00Q" + tricky.toString().substring(0, 12), TRICKY_COMPANY, "webinar",
                campaign, "sam.sdr", "sdr-east", Instant.now().minus(Duration.ofDays(1)));
        UUID plain = UUID.randomUUID();
        Db.lead(plain, "hubspot", "hs-" + plain.toString().substring(0, 8), "Plain Inc", "webinar", campaign,
                "sam.sdr", "sdr-east", Instant.now().minus(Duration.ofDays(1)));
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).contentType("application/json; charset=UTF-8")
                .body(Map.of("leadId", tricky.toString(), "reasonCode", "OTHER", "note", TRICKY_NOTE))
                .post("/disqualifications").then().statusCode(201).body("crmStatus", equalTo("Unqualified"));
        given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("leadId", plain.toString(), "reasonCode", "DUPLICATE"))
                .post("/disqualifications").then().statusCode(201);

        Response r = given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .queryParam("campaign", campaign).get("/disqualifications/export.csv");
        r.then().statusCode(200).contentType("text/csv; charset=UTF-8");
        List<List<String>> rows = CsvParser.parse(new String(r.asByteArray(), StandardCharsets.UTF_8));
        assertEquals(3, rows.size());
        List<String> header = rows.get(0);
        assertEquals("id", header.get(0));
        int company = header.indexOf("company");
        int note = header.indexOf("note");
        int reason = header.indexOf("reasonCode");
        int lead = header.indexOf("leadId");
        Map<String, List<String>> byLead = Map.of(rows.get(1).get(lead), rows.get(1), rows.get(2).get(lead),
                rows.get(2));
        assertEquals(TRICKY_COMPANY, byLead.get(tricky.toString()).get(company));
        assertEquals(TRICKY_NOTE, byLead.get(tricky.toString()).get(note));
        assertEquals("OTHER", byLead.get(tricky.toString()).get(reason));
        assertEquals("DUPLICATE", byLead.get(plain.toString()).get(reason));
        for (List<String> row : rows) {
            assertEquals(header.size(), row.size());
        }
    }

    @Test
    void cursorPagesThroughEveryRecordOnce() throws Exception {
        String campaign = "page-" + UUID.randomUUID();
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        Set<String> created = new HashSet<>();
        for (int i = 0; i < 5; i++) {
            UUID leadId = UUID.randomUUID();
            Db.lead(leadId, "hubspot", "hs-" + leadId.toString().substring(0, 8), "P" + i, "seo", campaign,
                    "sam.sdr", "sdr-east", Instant.now().minus(Duration.ofDays(2)));
            created.add(given().auth().oauth2(admin).contentType("application/json")
                    .body(Map.of("leadId", leadId.toString(), "reasonCode", "NO_BUDGET",
                            "disqualifiedAt", Instant.now().minusSeconds(60L * i).toString()))
                    .post("/disqualifications").then().statusCode(201).extract().path("id"));
        }
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        Set<String> seen = new HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            var req = given().auth().oauth2(marketing).queryParam("campaign", campaign).queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            Response page = req.get("/disqualifications");
            page.then().statusCode(200);
            List<String> ids = page.path("items.id");
            for (String id : ids) {
                assertEquals(true, seen.add(id), "seen twice: " + id);
            }
            cursor = page.path("nextCursor");
            pages++;
        } while (cursor != null && pages < 10);
        assertEquals(3, pages);
        assertEquals(created, seen);
        given().auth().oauth2(marketing).queryParam("cursor", "forged").get("/disqualifications").then()
                .statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(marketing).queryParam("campaign", campaign).queryParam("limit", 5)
                .get("/disqualifications").then().body("nextCursor", nullValue()).body("items[0].id", notNullValue());
    }

    @Test
    void managerSeesOnlyTheirTeamsAndSdrCannotList() throws Exception {
        String campaign = "scope-" + UUID.randomUUID();
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        for (String team : List.of("sdr-east", "sdr-west")) {
            UUID leadId = UUID.randomUUID();
            Db.lead(leadId, "hubspot", "hs-" + leadId.toString().substring(0, 8), "S", "seo", campaign, "sam.sdr",
                    team, Instant.now().minus(Duration.ofDays(2)));
            given().auth().oauth2(admin).contentType("application/json")
                    .body(Map.of("leadId", leadId.toString(), "reasonCode", "SPAM")).post("/disqualifications")
                    .then().statusCode(201);
        }
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MANAGER)).queryParam("campaign", campaign)
                .get("/disqualifications").then().statusCode(200)
                .body("items.size()", equalTo(1)).body("items[0].teamName", equalTo("sdr-east"));
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING)).queryParam("campaign", campaign)
                .get("/disqualifications").then().statusCode(200).body("items.size()", equalTo(2));
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1)).get("/disqualifications").then()
                .statusCode(403);
    }
}
