package com.revops.routing.assignment;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;

/**
 * End to end over real PostgreSQL and RabbitMQ: the test plays the gateway (publishing canonical events on
 * {@code crm.events}) and listens on {@code crm.commands} and {@code routing.events} like the gateway and the other
 * services would.
 */
@QuarkusTest
class RoutingFlowTest {

    static RabbitTestClient rabbit;
    static final ObjectMapper JSON = new ObjectMapper();
    static String admin;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
        rabbit.purge("lead-routing-test.crm-events");
        admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static JsonNode data(RabbitTestClient.Received r) throws Exception {
        return JSON.readTree(r.body()).get("data");
    }

    @Test
    void leadIsRoutedOwnerAssignedAndTheOwnersCallMeetsTheSla() throws Exception {
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 2);
        String commands = rabbit.bindTemporaryQueue("crm.commands", "owner.assign");
        String events = rabbit.bindTemporaryQueue("routing.events", "lead.*");
        UUID leadId = UUID.randomUUID();
        Instant created = Instant.now().minusSeconds(30);
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                RoutingFixtures.leadCreated(leadId, s.channel(), created));

        List<RabbitTestClient.Received> cmd = RoutingFixtures.awaitAbout(rabbit, commands, leadId, 1, Duration.ofSeconds(15));
        assertThat(cmd).hasSize(1);
        JsonNode assign = data(cmd.get(0));
        assertThat(assign.get("objectId").asText()).isEqualTo("hs-" + leadId);
        assertThat(assign.get("objectType").asText()).isEqualTo("contact");
        String owner = assign.get("ownerId").asText();
        assertThat(owner).isIn(s.ownerA(), s.ownerB());
        String rep = owner.equals(s.ownerA()) ? s.repA() : s.repB();

        JsonNode routed = data(RoutingFixtures.awaitAbout(rabbit, events, leadId, 1, Duration.ofSeconds(10)).get(0));
        assertThat(routed.get("reason").asText()).isEqualTo("rule");
        assertThat(routed.get("ownerUsername").asText()).isEqualTo(rep);
        assertThat(routed.get("teamName").asText()).isEqualTo(s.teamName());

        // the owner calls 10 minutes... no: 60 s after creation
        Instant call = created.plusSeconds(60);
        rabbit.publish("crm.events", "activity.logged", UUID.randomUUID().toString(),
                RoutingFixtures.activity(leadId, owner, "call", call));
        JsonNode touched = data(RoutingFixtures.awaitAbout(rabbit, events, leadId, 1, Duration.ofSeconds(10)).get(0));
        assertThat(touched.get("ttftSeconds").asLong()).isEqualTo(60);
        assertThat(touched.get("slaMet").asBoolean()).isTrue();
        given().auth().oauth2(admin).get("/leads/" + leadId).then().statusCode(200)
                .body("status", equalTo("TOUCHED")).body("slaState", equalTo("MET")).body("owner", equalTo(rep));
        // why this rep, and why not the other
        String other = rep.equals(s.repA()) ? s.repB() : s.repA();
        given().auth().oauth2(admin).get("/leads/" + leadId + "/routing-trace?rep=" + other).then().statusCode(200)
                .body("decisions[0].ruleName", equalTo("channel " + s.channel().substring(3)))
                .body("decisions[0].chosen", equalTo(rep))
                .body("whyNot", containsString("not next in rotation"));
    }

    @Test
    void untouchedLeadIsWarnedBreachedAndReassignedToAnotherRep() throws Exception {
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3, 1);
        String commands = rabbit.bindTemporaryQueue("crm.commands", "owner.assign");
        String events = rabbit.bindTemporaryQueue("routing.events", "lead.*");
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                RoutingFixtures.leadCreated(leadId, s.channel(), Instant.now()));
        String first = data(RoutingFixtures.awaitAbout(rabbit, commands, leadId, 1, Duration.ofSeconds(15)).get(0)).get("ownerId").asText();

        // lead.routed, lead.sla-warning, lead.sla-breached, then lead.routed for the new owner
        List<RabbitTestClient.Received> sla = RoutingFixtures.awaitAbout(rabbit, events, leadId, 4, Duration.ofSeconds(20));
        // the breach and the new routing commit together; their relative order on the wire is not guaranteed
        assertThat(sla).extracting(RabbitTestClient.Received::routingKey)
                .containsExactlyInAnyOrder("lead.routed", "lead.sla-warning", "lead.sla-breached", "lead.routed");
        assertThat(sla.subList(0, 2)).extracting(RabbitTestClient.Received::routingKey)
                .containsExactly("lead.routed", "lead.sla-warning");
        assertThat(sla.stream().filter(r -> r.routingKey().equals("lead.routed")).map(r -> {
            try {
                return data(r).get("reason").asText();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        })).containsExactly("rule", "sla-reassignment");
        List<RabbitTestClient.Received> second = RoutingFixtures.awaitAbout(rabbit, commands, leadId, 1, Duration.ofSeconds(15));
        assertThat(second).hasSize(1);
        String next = data(second.get(0)).get("ownerId").asText();
        assertThat(next).isNotEqualTo(first).isIn(s.ownerA(), s.ownerB());

        // the second rep lets it lapse too: with one reassignment allowed, the lead goes to the escalation queue
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> given().auth().oauth2(admin)
                .get("/leads/" + leadId).then().statusCode(200).body("status", equalTo("QUEUED"))
                .body("slaState", equalTo("ESCALATED")).body("reassignmentCount", equalTo(1)));
        assertThat(RoutingFixtures.awaitAbout(rabbit, commands, leadId, 1, Duration.ofSeconds(2))).as("never back to a previous owner").isEmpty();
        given().auth().oauth2(admin).get("/routing/breaches?size=500").then().statusCode(200)
                .body("items.leadId", hasItem(leadId.toString()));
        long fired = pool.preparedQuery("SELECT count(*) FROM sla_timer WHERE lead_id = $1 AND state = 'FIRED'")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(leadId)).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
        assertThat(fired).isEqualTo(4); // warning + deadline, twice, each exactly once
    }

    static String ownerChanged(UUID leadId, String from, String to) {
        return """
                {"specversion":"1.0","id":"%s","type":"lead.owner-changed","source":"/gateway",
                 "data":{"leadId":"%s","crm":"hubspot","crmId":"hs-%s","fromOwner":"%s","toOwner":"%s",
                         "changedAt":"%s"}}""".formatted(UUID.randomUUID(), leadId, leadId, from, to, Instant.now());
    }

    @Test
    void anOwnerChangedInTheCrmIsFollowedWithoutWritingItBackAndOurOwnEchoChangesNothing() throws Exception {
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 2);
        String commands = rabbit.bindTemporaryQueue("crm.commands", "owner.assign");
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                RoutingFixtures.leadCreated(leadId, s.channel(), Instant.now()));
        String first = data(RoutingFixtures.awaitAbout(rabbit, commands, leadId, 1, Duration.ofSeconds(15)).get(0))
                .get("ownerId").asText();
        String firstRep = first.equals(s.ownerA()) ? s.repA() : s.repB();
        String other = first.equals(s.ownerA()) ? s.ownerB() : s.ownerA();
        String otherRep = first.equals(s.ownerA()) ? s.repB() : s.repA();

        // the echo of our own write: same owner, nothing happens
        rabbit.publish("crm.events", "lead.owner-changed", UUID.randomUUID().toString(),
                ownerChanged(leadId, "", first));
        // a manager reassigns in HubSpot itself
        rabbit.publish("crm.events", "lead.owner-changed", UUID.randomUUID().toString(),
                ownerChanged(leadId, first, other));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(admin)
                .get("/leads/" + leadId).then().statusCode(200).body("owner", equalTo(otherRep))
                .body("status", equalTo("ASSIGNED")));
        given().auth().oauth2(admin).get("/leads/" + leadId + "/routing-trace").then().statusCode(200)
                .body("decisions.size()", equalTo(2))
                .body("decisions[0].trigger", equalTo("crm-reassignment"))
                .body("decisions[1].chosen", equalTo(firstRep));
        assertThat(RoutingFixtures.awaitAbout(rabbit, commands, leadId, 1, Duration.ofSeconds(3)))
                .as("the CRM already has the new owner: no owner.assign back").isEmpty();
    }

    @Test
    void anInvalidRuleSetCannotBePublishedAndSaysWhy() {
        int version = given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"definition":{"rules":[{"name":"x","when":{"field":"score","op":"range"},
                  "then":{"type":"team","team":"no-such-team"}},
                  {"name":"y","when":{"field":"email","op":"regex","pattern":"(unclosed"},"then":{"type":"queue"}}]}}""")
                .post("/routing/rule-sets").then().statusCode(201).extract().path("version");
        given().auth().oauth2(admin).post("/routing/rule-sets/" + version + "/publish").then().statusCode(422)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).post("/routing/rule-sets/" + version + "/validate").then().statusCode(422)
                .contentType("application/problem+json")
                .body("violations.field", hasItem("fallbackQueue"))
                .body("violations.field", hasItem("rules[0].when"))
                .body("violations.field", hasItem("rules[1].when.pattern"))
                .body("violations.field", hasItem("rules[1].then.queue"));
        given().auth().oauth2(admin).get("/routing/rule-sets/" + version).then().statusCode(200)
                .body("status", equalTo("DRAFT"));
    }

    @Test
    void unknownLeadIs404AndAnSdrCannotSeeAnotherRepsLead() throws Exception {
        given().auth().oauth2(admin).get("/leads/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1);
        UUID leadId = UUID.randomUUID();
        rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                RoutingFixtures.leadCreated(leadId, s.channel(), Instant.now()));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().auth().oauth2(admin)
                .get("/leads/" + leadId).then().statusCode(200).body("status", equalTo("ASSIGNED")));
        // sam.sdr is not the owner (the owner is a test rep): the lead does not exist for him
        String sam = KeycloakTokens.accessToken(KeycloakTokens.SDR_1);
        given().auth().oauth2(sam).get("/leads/" + leadId).then().statusCode(404);
        given().auth().oauth2(sam).get("/leads/" + leadId + "/routing-trace").then().statusCode(404);
        given().auth().oauth2(sam).contentType(ContentType.JSON).body("{}").post("/leads/" + leadId + "/touch")
                .then().statusCode(404);
        given().auth().oauth2(sam).contentType(ContentType.JSON).body("{\"toUsername\":\"sam.sdr\",\"reason\":\"x\"}")
                .post("/leads/" + leadId + "/reassign").then().statusCode(403);
    }

    @Test
    void simulationRoutesABatchWithoutSideEffects() throws Exception {
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1);
        long before = pool.query("SELECT count(*) FROM routing_decision").execute().await()
                .atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        StringBuilder leads = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            leads.append(i == 0 ? "" : ",").append("{\"email\":\"x").append(i).append("@corp").append(i)
                    .append(".com\",\"attributes\":{\"channel\":\"").append(s.channel()).append("\"}}");
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"leads\":[" + leads + "]}")
                .post("/routing/simulate").then().statusCode(200)
                .body("leads", equalTo(10))
                .body("perRep." + s.repA(), equalTo(5))
                .body("perRep." + s.repB(), equalTo(5));
        long after = pool.query("SELECT count(*) FROM routing_decision").execute().await()
                .atMost(Duration.ofSeconds(5)).iterator().next().getLong(0);
        assertThat(after).isEqualTo(before);
    }

    @Test
    void speedToLeadExportsCsv() {
        String csv = given().auth().oauth2(admin).get("/routing/metrics/speed-to-lead?groupBy=channel&format=csv")
                .then().statusCode(200).contentType(containsString("text/csv")).extract().asString();
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("channel,leads,touched,never_touched,ttft_p50_s");
        given().auth().oauth2(admin).get("/routing/metrics/speed-to-lead?groupBy=nonsense").then().statusCode(400)
                .contentType("application/problem+json");
    }
}
