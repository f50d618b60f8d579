package com.revops.attribution.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.attribution.Fixtures;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/** With write-back on, a closed-won deal's attribution goes to the CRM as a record.fields.set command. */
@QuarkusTest
@TestProfile(WriteBackTest.WriteBackOn.class)
class WriteBackTest {

    /** Write-back enabled. */
    public static class WriteBackOn implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("attribution.write-back.enabled", "true");
        }
    }

    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void aClosedWonDealIsWrittenBackToTheCrm() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.commands", "record.fields.set");
        Fixtures.signDefinition("W_SHAPED");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID lead = UUID.randomUUID();
        given().auth().oauth2(Fixtures.marketing()).contentType(ContentType.JSON)
                .body(Map.of("crm", "hubspot", "leadId", lead.toString(), "occurredAt", "2026-05-01T00:00:00Z",
                        "type", "ad-click", "channel", "social-" + tag, "team", "marketing"))
                .when().post("/touchpoints").then().statusCode(201);
        given().auth().oauth2(Fixtures.admin()).contentType(ContentType.JSON)
                .body(Map.of("crm", "hubspot", "crmId", "wb-" + tag, "name", "Write back " + tag,
                        "createdAt", "2026-05-02T00:00:00Z",
                        "stageHistory", List.of(Map.of("at", "2026-05-02T00:00:00Z", "stage", "qualifiedtobuy"),
                                Map.of("at", "2026-05-09T00:00:00Z", "stage", "closedwon")),
                        "amountHistory", List.of(Map.of("at", "2026-05-02T00:00:00Z", "amount", 990, "currency",
                                "EUR")),
                        "contacts", List.of(Map.of("leadId", lead.toString(), "primary", true))))
                .when().post("/deals").then().statusCode(201);

        JsonNode command = null;
        long deadline = System.currentTimeMillis() + 20_000;
        while (command == null && System.currentTimeMillis() < deadline) {
            for (RabbitTestClient.Received r : rabbit.await(queue, 1, Duration.ofSeconds(5))) {
                JsonNode e = new ObjectMapper().readTree(r.body());
                if (("wb-" + tag).equals(e.path("data").path("objectId").asText())) {
                    command = e;
                }
            }
        }
        assertTrue(command != null, "no record.fields.set command for the deal");
        assertEquals("record.fields.set", command.path("type").asText());
        JsonNode data = command.path("data");
        assertEquals("hubspot", data.path("crm").asText());
        assertEquals("deal", data.path("objectType").asText());
        assertEquals("social-" + tag, data.path("fields").path("revops_sourced_channel").asText());
        assertEquals("social-" + tag, data.path("fields").path("revops_attributed_channel").asText());
        assertEquals("W_SHAPED", data.path("fields").path("revops_attribution_model").asText());
    }
}
