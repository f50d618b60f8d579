package com.revops.feedback.leads;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

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

/** The same lead.created the gateway publishes reaches feedback too, through its own queue. */
@QuarkusTest
class LeadEventsConsumerTest {

    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        // this service's test queues also collect what other modules' tests published on the same exchanges;
        // that backlog is not ours to wait for
        rabbit.purge("feedback-test.crm-events");
        rabbit.purge("feedback-test.routing-events");
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @Test
    void leadContextIsKeptFromTheGatewaysLeadEvents() throws Exception {
        UUID leadId = UUID.randomUUID();
        String eventId = UUID.randomUUID().toString();
        rabbit.publish("crm.events", "lead.created", eventId, """
                {"specversion":"1.0","id":"%s","type":"lead.created","source":"/gateway","subject":"lead/%s",
                 "data":{"leadId":"%s","crm":"salesforce","crmId":"00Q%s","email":"Zoë@Ünïcode.example",
                         "country":"FR","companySize":"51-200","industry":"Software","source":"paid-social",
                         "channel":"linkedin","campaign":"q4-abm","intentTier":"medium"}}"""
                .formatted(eventId, leadId, leadId, leadId.toString().substring(0, 12)));

        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(marketing)
                .when().get("/leads/" + leadId + "/context").then()
                .statusCode(200)
                .body("email", equalTo("zoë@ünïcode.example"))
                .body("campaign", equalTo("q4-abm"))
                .body("companySize", equalTo("51-200")));
    }

    @Test
    void unknownLeadIs404Problem() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .when().get("/leads/" + UUID.randomUUID() + "/context").then()
                .statusCode(404).contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void malformedLeadIdIs404NotAServerError() {
        given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .when().get("/leads/not-a-uuid/context").then()
                .statusCode(404).contentType("application/problem+json");
    }

    /** Contract test: the example the gateway documents in its AsyncAPI is understood as published. */
    @Test
    void gatewaysDocumentedLeadCreatedExampleIsUnderstood() throws Exception {
        String example = Files.readString(Path.of("../gateway/src/main/resources/asyncapi/examples/lead.created.json"));
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(), example);
        String marketing = KeycloakTokens.accessToken(KeycloakTokens.MARKETING);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given().auth().oauth2(marketing)
                .when().get("/leads/0b9f8e52-5a43-4f0e-a0f7-2f9c3e6d1a10/context").then()
                .statusCode(200)
                .body("campaign", equalTo("q4-demo-push"))
                .body("industry", equalTo("Software")));
    }
}
