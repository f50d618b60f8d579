package com.revops.routing.assignment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Who sees what, with real Keycloak tokens; and the live assignment stream. */
@QuarkusTest
class LeadAccessTest {

    @org.junit.jupiter.api.BeforeAll
    static void purgeBacklog() throws Exception {
        // other modules' tests publish on the same test exchanges; that backlog is not ours to wait for
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            rabbit.purge("lead-routing-test.crm-events");
        }
    }

    @TestHTTPResource("/leads/stream")
    URL stream;

    UUID routedLead(RabbitTestClient rabbit, String admin, RoutingFixtures.Setup s) throws Exception {
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                RoutingFixtures.leadCreated(leadId, s.channel(), Instant.now()));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().auth().oauth2(admin)
                .get("/leads/" + leadId).then().statusCode(200).body("status", equalTo("ASSIGNED")));
        return leadId;
    }

    @Test
    void aManagerSeesTheirTeamsLeadsOnlyAndCanReassignThemWithAReason() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        String manager = KeycloakTokens.accessToken(KeycloakTokens.MANAGER); // member of group sdr-east
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            RoutingFixtures.Setup east = RoutingFixtures.setup(admin, 3600, 1, 10, "sdr-east");
            UUID eastLead = routedLead(rabbit, admin, east);
            RoutingFixtures.Setup west = RoutingFixtures.setup(admin, 3600, 1, 10, "sdr-west");
            UUID westLead = routedLead(rabbit, admin, west);

            given().auth().oauth2(manager).get("/leads/" + eastLead).then().statusCode(200);
            given().auth().oauth2(manager).get("/leads/" + westLead).then().statusCode(404);
            given().auth().oauth2(manager).get("/leads?size=500").then().statusCode(200)
                    .body("items.id", not(org.hamcrest.Matchers.hasItem(westLead.toString())));

            String owner = given().auth().oauth2(admin).get("/leads/" + eastLead).then().extract().path("owner");
            String other = owner.equals(east.repA()) ? east.repB() : east.repA();
            given().auth().oauth2(manager).contentType(ContentType.JSON)
                    .body("{\"toUsername\":\"" + other + "\"}").post("/leads/" + eastLead + "/reassign").then()
                    .statusCode(422).contentType("application/problem+json");
            given().auth().oauth2(manager).contentType(ContentType.JSON)
                    .body("{\"toUsername\":\"" + other + "\",\"reason\":\"owner on a training day\"}")
                    .post("/leads/" + eastLead + "/reassign").then().statusCode(200).body("owner", equalTo(other));
            given().auth().oauth2(manager).contentType(ContentType.JSON)
                    .body("{\"toUsername\":\"" + west.repA() + "\",\"reason\":\"x\"}")
                    .post("/leads/" + westLead + "/reassign").then().statusCode(404);
            given().auth().oauth2(admin).get("/leads/" + eastLead + "/routing-trace").then().statusCode(200)
                    .body("decisions[0].trigger", equalTo("manual"))
                    .body("decisions[0].decidedBy", equalTo(KeycloakTokens.MANAGER))
                    .body("decisions[0].comment", equalTo("owner on a training day"));
            given().auth().oauth2(manager).get("/routing/breaches").then().statusCode(200)
                    .body("items.teamId", everyItem(not(equalTo(null))));
        }
    }

    @Test
    void newAssignmentsArriveOnTheServerSentEventStream() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1);
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create(stream.toString()))
                .header("Authorization", "Bearer " + admin).header("Accept", "text/event-stream").GET().build();
        HttpResponse<Stream<String>> resp = http.send(req, HttpResponse.BodyHandlers.ofLines());
        assertThat(resp.statusCode()).isEqualTo(200);
        UUID leadId = UUID.randomUUID();
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> resp.body()
                .filter(l -> l.startsWith("data:") && l.contains(leadId.toString())).findFirst().orElse(null));
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                    RoutingFixtures.leadCreated(leadId, s.channel(), Instant.now()));
            String data = line.get(15, TimeUnit.SECONDS);
            assertThat(data).contains("\"trigger\":\"lead-created\"");
            assertThat(data).containsAnyOf(s.repA(), s.repB());
        } finally {
            resp.body().close();
        }
    }
}
