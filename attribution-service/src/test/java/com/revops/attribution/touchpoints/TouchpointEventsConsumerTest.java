package com.revops.attribution.touchpoints;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;

/** Touchpoints published by the gateway on {@code crm.events} reach attribution over the real broker. */
@QuarkusTest
class TouchpointEventsConsumerTest {

    static final String DLQ = "attribution-test.crm-events.dlq";
    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        // this service's test queues also collect what other modules' tests published on the same exchanges;
        // that backlog is not ours to wait for
        rabbit.purge("attribution-test.crm-events");
        rabbit.purge("attribution-test.routing-events");
        rabbit.purge("attribution-test.feedback-events");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static String touchpoint(String eventId, UUID touchpointId, String occurredAt, String campaign) {
        String time = occurredAt == null ? "" : "\"occurredAt\":\"" + occurredAt + "\",";
        return """
                {"specversion":"1.0","id":"%s","type":"touchpoint.recorded","source":"/gateway",
                 "subject":"person/ana@example.com","dataschema":"urn:revops:schema:touchpoint.recorded:1",
                 "data":{"touchpointId":"%s","crm":"hubspot","personEmail":"ana@example.com",
                         "accountDomain":"example.com",%s"type":"webinar","channel":"events",
                         "source":"webinar","campaign":"%s","team":"marketing"}}"""
                .formatted(eventId, touchpointId, time, campaign);
    }

    @Test
    void touchpointFromTheGatewayIsRecordedAndListedForMarketingOps() throws Exception {
        UUID id = UUID.randomUUID();
        String campaign = "q4-webinar-" + id.toString().substring(0, 6);
        rabbit.publish("crm.events", "touchpoint.recorded", UUID.randomUUID().toString(),
                touchpoint(UUID.randomUUID().toString(), id, "2026-11-20T15:00:00Z", campaign));

        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(marketing)
                .when().get("/touchpoints?campaign=" + campaign).then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items.id", hasItem(id.toString()))
                .body("items[0].occurredAt", equalTo("2026-11-20T15:00:00Z")));
    }

    @Test
    void touchpointWithoutTimeIsDeadLetteredAndNotStored() throws Exception {
        rabbit.purge(DLQ);
        UUID id = UUID.randomUUID();
        String campaign = "no-time-" + id.toString().substring(0, 6);
        rabbit.publish("crm.events", "touchpoint.recorded", UUID.randomUUID().toString(),
                touchpoint(UUID.randomUUID().toString(), id, null, campaign));
        await().atMost(Duration.ofSeconds(10)).until(() -> rabbit.messageCount(DLQ) == 1);
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .when().get("/touchpoints?campaign=" + campaign).then().statusCode(200).body("total", equalTo(0));
    }

    @Test
    void sdrCannotReadAttributionData() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.SDR_1))
                .when().get("/touchpoints").then().statusCode(403).contentType("application/problem+json");
    }

    /** Contract test: the example the gateway documents in its AsyncAPI is understood as published. */
    @Test
    void gatewaysDocumentedTouchpointExampleIsUnderstood() throws Exception {
        String example = Files.readString(
                Path.of("../gateway/src/main/resources/asyncapi/examples/touchpoint.recorded.json"));
        rabbit.publish("crm.events", "touchpoint.recorded", UUID.randomUUID().toString(), example);
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(marketing)
                .when().get("/touchpoints?campaign=q4-product-webinar").then()
                .statusCode(200)
                .body("items.id", hasItem("3e7a9c10-2f4b-4d8e-9a61-5c0b7d2e8f44")));
    }
}
