package com.revops.sandbox.web;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

@QuarkusTest
@QuarkusTestResource(GatewayReceiver.class)
class SimulatorApiTest {

    static final String HS_TOKEN = "Bearer sandbox-hubspot-private-app-token";
    static final String SECRET = "sandbox-hubspot-client-secret";
    private final ObjectMapper mapper = new ObjectMapper();

    @AfterEach
    void clearFaults() {
        given().delete("/_sim/faults").then().statusCode(200);
    }

    private static String salesforceToken() {
        return given().contentType(ContentType.URLENC).formParam("grant_type", "client_credentials")
                .formParam("client_id", "sandbox-salesforce-consumer-key")
                .formParam("client_secret", "sandbox-salesforce-consumer-secret")
                .post("/services/oauth2/token").then().statusCode(200)
                .body("instance_url", notNullValue()).extract().path("access_token");
    }

    private static String hmac(String signed) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(signed.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aDrivenLeadIsDeliveredAsACorrectlySignedWebhook() throws Exception {
        String id = given().contentType(ContentType.JSON).body("""
                {"email":"signed.lead@example.org","firstName":"Signed","lastName":"Lead","campaign":"LinkedIn ABM",
                 "intentTier":"HIGH","country":"Germany","companySize":120}""")
                .post("/_sim/leads").then().statusCode(201)
                .header("Location", containsString("/crm/v3/objects/contacts/"))
                .body("crm", equalTo("hubspot")).extract().path("id");
        GatewayReceiver.Received delivery = await().atMost(Duration.ofSeconds(10)).until(() -> GatewayReceiver.RECEIVED
                .stream().filter(r -> r.body().contains("\"objectId\":" + id)).findFirst().orElse(null),
                r -> r != null);
        assertTrue(delivery.url().endsWith("/webhooks/hubspot"));
        String ts = delivery.headers().get("x-hubspot-request-timestamp");
        long age = System.currentTimeMillis() - Long.parseLong(ts);
        assertTrue(age >= 0 && age < 60_000, "timestamp in epoch milliseconds: " + ts);
        assertEquals(hmac("POST" + delivery.url() + delivery.body() + ts),
                delivery.headers().get("x-hubspot-signature-v3"));
        JsonNode events = mapper.readTree(delivery.body());
        assertTrue(events.isArray());
        JsonNode e = events.get(0);
        assertEquals("contact.creation", e.get("subscriptionType").asText());
        assertEquals(7700001, e.get("portalId").asLong());
        assertEquals(4242, e.get("appId").asLong());
        assertEquals(0, e.get("attemptNumber").asInt());
        assertTrue(e.get("occurredAt").asLong() > 0 && e.has("eventId") && e.has("subscriptionId"));
        // the contact is in the CRM with what was driven
        given().header("Authorization", HS_TOKEN).get("/crm/v3/objects/contacts/" + id
                + "?properties=intent_tier,hs_analytics_source,hs_lead_status")
                .then().statusCode(200).body("properties.intent_tier", equalTo("HIGH"))
                .body("properties.hs_analytics_source", equalTo("PAID_SOCIAL"))
                .body("properties.hs_lead_status", equalTo("NEW"));
    }

    @Test
    void aFailedDeliveryIsRetriedWithTheNextAttemptNumberAndRecorded() throws Exception {
        GatewayReceiver.FAIL_NEXT.set(1);
        String id = given().contentType(ContentType.JSON).body("{\"email\":\"retried@example.org\"}")
                .post("/_sim/leads").then().statusCode(201).extract().path("id");
        List<GatewayReceiver.Received> tries = await().atMost(Duration.ofSeconds(10)).until(() -> GatewayReceiver
                .RECEIVED.stream().filter(r -> r.body().contains("\"objectId\":" + id)).toList(), l -> l.size() >= 2);
        assertEquals(0, mapper.readTree(tries.get(0).body()).get(0).get("attemptNumber").asInt());
        assertEquals(1, mapper.readTree(tries.get(1).body()).get(0).get("attemptNumber").asInt());
        given().get("/_sim/deliveries?state=RETRYING").then().statusCode(200)
                .body("outcomes.status", org.hamcrest.Matchers.hasItem(500));
    }

    @Test
    void salesforceChangesArriveAsOutboundMessagesWithTheOrganizationId() {
        String lead = given().contentType(ContentType.JSON).body("""
                {"crm":"salesforce","email":"sf.lead@example.org","lastName":"Lead","company":"Acme",
                 "campaign":"Newsletter","intentTier":"LOW"}""")
                .post("/_sim/leads").then().statusCode(201).extract().path("id");
        given().contentType(ContentType.JSON).body("{\"crm\":\"salesforce\",\"status\":\"Unqualified\","
                + "\"reason\":\"no-budget\"}").post("/_sim/leads/" + lead + "/status").then().statusCode(200)
                .body("changed.Status", equalTo("Unqualified"));
        // creation and status change: two notifications, in one message or two (they may be batched)
        String idElement = "<sf:Id>" + lead + "</sf:Id>";
        List<GatewayReceiver.Received> messages = await().atMost(Duration.ofSeconds(10)).until(() -> GatewayReceiver
                .RECEIVED.stream().filter(r -> r.body().contains(idElement)).toList(),
                l -> l.stream().mapToInt(r -> r.body().split(java.util.regex.Pattern.quote(idElement), -1).length - 1)
                        .sum() >= 2);
        String first = messages.get(0).body();
        assertTrue(messages.get(0).url().endsWith("/webhooks/salesforce/outbound"));
        assertTrue(first.contains("xmlns=\"http://soap.sforce.com/2005/09/outbound\""));
        assertTrue(first.contains("<OrganizationId>00DSB0000001Sim2AE</OrganizationId>"), first);
        assertTrue(first.contains("xsi:type=\"sf:Lead\""));
        assertTrue(messages.stream().anyMatch(m -> m.body().contains("<sf:Disqualification_Reason__c>no-budget")));
        given().contentType(ContentType.JSON).body("{\"crm\":\"salesforce\",\"status\":\"Maybe\"}")
                .post("/_sim/leads/" + lead + "/status").then().statusCode(400)
                .contentType("application/problem+json").body("detail", containsString("restricted picklist"));
    }

    @Test
    void everyHubSpotAnswerCarriesRateLimitHeadersAndAnExhaustedWindowAnswers429() {
        given().header("Authorization", HS_TOKEN).get("/crm/v3/owners").then().statusCode(200)
                .header("X-HubSpot-RateLimit-Max", "190")
                .header("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                .header("X-HubSpot-RateLimit-Daily", "650000")
                .header("X-HubSpot-RateLimit-Daily-Remaining", notNullValue())
                .body("results[0].teams[0].id", notNullValue());
        given().contentType(ContentType.JSON).body("{\"crm\":\"hubspot\",\"policy\":\"TEN_SECONDLY_ROLLING\"}")
                .post("/_sim/faults/rate-limit").then().statusCode(200);
        given().header("Authorization", HS_TOKEN).get("/crm/v3/objects/contacts/100001").then().statusCode(429)
                .header("X-HubSpot-RateLimit-Remaining", "0")
                .body("status", equalTo("error")).body("errorType", equalTo("RATE_LIMIT"))
                .body("policyName", equalTo("TEN_SECONDLY_ROLLING"))
                .body("message", equalTo("You have reached your ten_secondly_rolling limit."))
                .body("correlationId", notNullValue());
        // search is exempt from the ten-second window
        given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON).body("{\"limit\":1}")
                .post("/crm/v3/objects/contacts/search").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"crm\":\"hubspot\",\"policy\":\"DAILY\"}")
                .post("/_sim/faults/rate-limit").then().statusCode(200);
        given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON).body("{\"limit\":1}")
                .post("/crm/v3/objects/contacts/search").then().statusCode(429)
                .body("policyName", equalTo("DAILY"));
    }

    @Test
    void aPartlyInvalidBatchAnswers207AndWritesTheValidRecords() {
        Response r = given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON).body("""
                {"inputs":[{"id":"100002","properties":{"hs_lead_status":"CONNECTED"}},
                           {"id":"100003","properties":{"hs_lead_status":"SOMETIMES"}},
                           {"id":"1","properties":{"firstname":"Nobody"}}]}""")
                .post("/crm/v3/objects/contacts/batch/update");
        r.then().statusCode(207).body("numErrors", equalTo(2)).body("results", hasSize(1))
                .body("errors[0].context.ids[0]", equalTo("100003"))
                .body("errors[1].category", equalTo("OBJECT_NOT_FOUND"));
        given().get("/_sim/writes?objectId=100002&kind=status").then().statusCode(200)
                .body("writes[-1].fields.hs_lead_status", equalTo("CONNECTED"))
                .body("writes[-1].via", containsString("batch/update"));
        given().get("/_sim/writes?objectId=100003").then().body("count", equalTo(0));
    }

    @Test
    void theGatewaysOwnWriteComesBackAsAnIntegrationWebhook() throws Exception {
        String current = given().header("Authorization", HS_TOKEN)
                .get("/crm/v3/objects/contacts/100004?properties=hubspot_owner_id").then().statusCode(200)
                .extract().path("properties.hubspot_owner_id");
        String owner = "60000002".equals(current) ? "60000003" : "60000002";
        given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON)
                .body("{\"properties\":{\"hubspot_owner_id\":\"" + owner + "\"}}")
                .patch("/crm/v3/objects/contacts/100004").then().statusCode(200)
                .body("properties.hubspot_owner_id", equalTo(owner));
        GatewayReceiver.Received echo = await().atMost(Duration.ofSeconds(10)).until(() -> GatewayReceiver.RECEIVED
                .stream().filter(r -> r.body().contains("\"objectId\":100004")
                        && r.body().contains("\"changeSource\":\"INTEGRATION\"")).findFirst().orElse(null),
                r -> r != null);
        JsonNode e = null;
        for (JsonNode candidate : mapper.readTree(echo.body())) {
            if (candidate.get("objectId").asLong() == 100004) {
                e = candidate;
            }
        }
        assertEquals("contact.propertyChange", e.get("subscriptionType").asText());
        assertEquals("hubspot_owner_id", e.get("propertyName").asText());
        assertEquals(owner, e.get("propertyValue").asText());
        assertEquals("4242", e.get("sourceId").asText());
        given().get("/_sim/writes?objectId=100004&kind=owner").then().body("count", equalTo(1));
    }

    @Test
    void searchRefusesPagesOver200AndPagingPast10000() {
        given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON).body("{\"limit\":201}")
                .post("/crm/v3/objects/contacts/search").then().statusCode(400)
                .body("category", equalTo("VALIDATION_ERROR"));
        given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON).body("{\"limit\":200,\"after\":"
                + "\"10000\"}").post("/crm/v3/objects/contacts/search").then().statusCode(400);
        given().header("Authorization", HS_TOKEN).contentType(ContentType.JSON).body("""
                {"filterGroups":[{"filters":[{"propertyName":"lastmodifieddate","operator":"GT","value":"0"}]}],
                 "sorts":[{"propertyName":"lastmodifieddate","direction":"ASCENDING"}],"limit":5}""")
                .post("/crm/v3/objects/contacts/search").then().statusCode(200)
                .body("results", hasSize(5)).body("paging.next.after", equalTo("5"))
                .header("X-HubSpot-RateLimit-Secondly", "5");
    }

    @Test
    void salesforceQueriesPageWithNextRecordsUrlAndCarryLimitInfo() {
        String token = salesforceToken();
        Response first = given().header("Authorization", "Bearer " + token)
                .header("Sforce-Query-Options", "batchSize=200")
                .queryParam("q", "SELECT Id, Email, SystemModstamp FROM Lead ORDER BY SystemModstamp, Id")
                .get("/services/data/v67.0/query");
        first.then().statusCode(200).header("Sforce-Limit-Info", containsString("api-usage="))
                .body("done", equalTo(false)).body("records", hasSize(200))
                .body("records[0].attributes.type", equalTo("Lead"));
        int total = first.path("totalSize");
        Set<String> ids = new HashSet<>(first.path("records.Id"));
        String next = first.path("nextRecordsUrl");
        while (next != null) {
            Response page = given().header("Authorization", "Bearer " + token).get(next);
            page.then().statusCode(200);
            ids.addAll(page.path("records.Id"));
            next = page.path("nextRecordsUrl");
        }
        assertEquals(total, ids.size());
        assertTrue(total > 200);
        given().header("Authorization", "Bearer " + token).queryParam("q", "SELECT Nope FROM Lead")
                .get("/services/data/v67.0/query").then().statusCode(400)
                .body("[0].errorCode", equalTo("INVALID_FIELD"));
    }

    @Test
    void expiredTokensAnswer401AndANewTokenWorks() {
        String token = salesforceToken();
        given().header("Authorization", "Bearer " + token).get("/services/data/v67.0/limits").then()
                .statusCode(200).body("DailyApiRequests.Max", notNullValue());
        given().contentType(ContentType.JSON).body("{\"crm\":\"salesforce\"}").post("/_sim/faults/token-expiry")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/services/data/v67.0/limits").then()
                .statusCode(401).body("[0].errorCode", equalTo("INVALID_SESSION_ID"))
                .body("[0].message", equalTo("Session expired or invalid"));
        given().header("Authorization", "Bearer " + salesforceToken()).get("/services/data/v67.0/limits").then()
                .statusCode(200);

        String hs = given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("client_id", "sandbox-hubspot-client-id")
                .formParam("client_secret", SECRET)
                .formParam("refresh_token", "sandbox-hubspot-refresh-token")
                .post("/oauth/v1/token").then().statusCode(200).body("expires_in", equalTo(1800))
                .extract().path("access_token");
        given().header("Authorization", "Bearer " + hs).get("/crm/v3/owners").then().statusCode(200);
        given().contentType(ContentType.JSON).body("{\"crm\":\"hubspot\"}").post("/_sim/faults/token-expiry")
                .then().statusCode(200).body("expired", equalTo(1));
        given().header("Authorization", "Bearer " + hs).get("/crm/v3/owners").then().statusCode(401)
                .header("X-HubSpot-RateLimit-Daily-Remaining", notNullValue())
                .body("category", equalTo("EXPIRED_AUTHENTICATION"));
        given().contentType(ContentType.URLENC).formParam("grant_type", "refresh_token")
                .formParam("client_id", "sandbox-hubspot-client-id").formParam("client_secret", "wrong")
                .formParam("refresh_token", "sandbox-hubspot-refresh-token")
                .post("/oauth/v1/token").then().statusCode(400);
    }

    @Test
    void jwtBearerAcceptsAWellFormedAssertionAndRefusesAnExpiredOne() {
        long now = System.currentTimeMillis() / 1000;
        given().contentType(ContentType.URLENC).formParam("grant_type", SalesforceApi.JWT_BEARER)
                .formParam("assertion", jwt("sandbox-salesforce-consumer-key", "integration@sandbox.revops.example",
                        now + 120))
                .post("/services/oauth2/token").then().statusCode(200).body("access_token", notNullValue());
        given().contentType(ContentType.URLENC).formParam("grant_type", SalesforceApi.JWT_BEARER)
                .formParam("assertion", jwt("sandbox-salesforce-consumer-key", "integration@sandbox.revops.example",
                        now - 10))
                .post("/services/oauth2/token").then().statusCode(400).body("error", equalTo("invalid_grant"));
        given().contentType(ContentType.URLENC).formParam("grant_type", SalesforceApi.JWT_BEARER)
                .formParam("assertion", jwt("someone-else", "integration@sandbox.revops.example", now + 120))
                .post("/services/oauth2/token").then().statusCode(400);
    }

    private static String jwt(String iss, String sub, long exp) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8));
        String claims = b64.encodeToString(("{\"iss\":\"" + iss + "\",\"sub\":\"" + sub
                + "\",\"aud\":\"https://login.salesforce.com\",\"exp\":" + exp + "}").getBytes(StandardCharsets.UTF_8));
        return header + "." + claims + "." + b64.encodeToString(new byte[256]);
    }

    @Test
    void exhaustedAllocationAnswers403AndInjected5xxBurstsEnd() {
        String token = salesforceToken();
        given().contentType(ContentType.JSON).body("{\"crm\":\"salesforce\",\"count\":2,\"status\":503}")
                .post("/_sim/faults/errors").then().statusCode(200);
        for (int i = 0; i < 2; i++) {
            given().header("Authorization", "Bearer " + token).get("/services/data/v67.0/limits").then()
                    .statusCode(503).body("[0].errorCode", equalTo("SERVER_UNAVAILABLE"));
        }
        given().header("Authorization", "Bearer " + token).get("/services/data/v67.0/limits").then()
                .statusCode(200);
        given().contentType(ContentType.JSON).body("{\"crm\":\"salesforce\"}").post("/_sim/faults/rate-limit")
                .then().statusCode(200);
        given().header("Authorization", "Bearer " + token).get("/services/data/v67.0/limits").then()
                .statusCode(403).header("Sforce-Limit-Info", containsString("api-usage="))
                .header("Retry-After", nullValue())
                .body("[0].errorCode", equalTo("REQUEST_LIMIT_EXCEEDED"));
    }

    @Test
    void gatewayWritesAreJournalledByKind() {
        String token = salesforceToken();
        String lead = given().header("Authorization", "Bearer " + token)
                .queryParam("q", "SELECT Id FROM Lead LIMIT 1").get("/services/data/v67.0/query")
                .then().statusCode(200).extract().path("records[0].Id");
        String sdr = given().get("/_sim/org").then().statusCode(200).extract().path("owners[0].salesforceUserId");
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"OwnerId\":\"" + sdr + "\"}").patch("/services/data/v67.0/sobjects/Lead/" + lead)
                .then().statusCode(204).header("Sforce-Limit-Info", notNullValue());
        given().header("Authorization", "Bearer " + token).contentType(ContentType.JSON)
                .body("{\"WhoId\":\"" + lead + "\",\"Subject\":\"Call now\",\"Priority\":\"High\"}")
                .post("/services/data/v67.0/sobjects/Task").then().statusCode(201).body("success", equalTo(true));
        given().get("/_sim/writes?objectId=" + lead + "&kind=owner").then().statusCode(200)
                .body("count", equalTo(1)).body("writes[0].fields.OwnerId", equalTo(sdr));
        given().get("/_sim/writes?kind=task&crm=salesforce").then().body("writes[-1].fields.WhoId", equalTo(lead));
        given().header("Authorization", "Bearer " + token).get("/services/data/v67.0/sobjects/Lead/" + lead
                + "?fields=OwnerId,LastModifiedById").then().statusCode(200).body("OwnerId", equalTo(sdr))
                .body("attributes.type", equalTo("Lead"));
        given().get("/_sim/writes?kind=bogus").then().statusCode(400).contentType("application/problem+json");
        given().get("/_sim/stats").then().statusCode(200).body("writes.owner", notNullValue());
    }

    @Test
    void resetStartsOverWithAFreshlySeededOrganisation() {
        List<String> before = new ArrayList<>(given().get("/_sim/org").then().extract().path("owners.email"));
        given().contentType(ContentType.JSON).body("{\"email\":\"gone.after.reset@example.org\"}")
                .post("/_sim/leads").then().statusCode(201);
        List<String> other = new ArrayList<>(given().contentType(ContentType.JSON).body("{\"seed\":7}")
                .post("/_sim/reset").then().statusCode(200).body("seed", equalTo(7))
                .extract().path("owners.email"));
        assertTrue(!before.equals(other));
        given().get("/_sim/writes").then().body("count", equalTo(0));
        given().get("/_sim/stats").then().body("counters.'driver.leads.hubspot'", nullValue());
        given().contentType(ContentType.JSON).body("{\"seed\":\"x\"}").post("/_sim/reset").then().statusCode(400)
                .contentType("application/problem+json");
        List<String> again = new ArrayList<>(given().contentType(ContentType.JSON).body("{}").post("/_sim/reset")
                .then().statusCode(200).body("seed", equalTo(42)).extract().path("owners.email"));
        assertEquals(before, again);
    }

    @Test
    void theSameSeedGivesTheSameOrganisation() {
        List<String> owners = new ArrayList<>(given().get("/_sim/org").then().statusCode(200)
                .extract().path("owners.hubspotOwnerId"));
        assertEquals("60000001", owners.get(0));
        Map<String, Object> org = given().get("/_sim/org").then().extract().path("salesforce");
        assertEquals("005Sb0000000001IAA", org.get("integrationUserId"));
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }
}
