package com.revops.gateway.normalise;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.salesforce.SalesforceFakeResource;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Our owner.assign on a Salesforce Lead comes back (sync record, outbound message) without a
 * {@code lead.owner-changed}; a person's owner change still produces one.
 */
@QuarkusTest
class SalesforceOwnerEchoTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORG = "00D5g000004ABCDEAA";
    static final String INTEGRATION_USER = "005FAKE000000001AAA";
    static final String PERSON = "005PERSON0000001AAA";
    static final DateTimeFormatter SF = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    static RabbitTestClient rabbit;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static String soap(String notificationId, Map<String, String> fields) {
        StringBuilder sobject = new StringBuilder();
        fields.forEach((k, v) -> sobject.append("<sf:").append(k).append('>').append(v).append("</sf:").append(k)
                .append('>'));
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <soapenv:Body>
                    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                      <OrganizationId>%s</OrganizationId>
                      <ActionId>04k5g000000XYZAAA</ActionId>
                      <SessionId xsi:nil="true"/>
                      <EnterpriseUrl>https://acme.my.salesforce.com/services/Soap/c/67.0/00D5g000004ABCD</EnterpriseUrl>
                      <PartnerUrl>https://acme.my.salesforce.com/services/Soap/u/67.0/00D5g000004ABCD</PartnerUrl>
                      <Notification>
                        <Id>%s</Id>
                        <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">%s</sObject>
                      </Notification>
                    </notifications>
                  </soapenv:Body>
                </soapenv:Envelope>
                """.formatted(ORG, notificationId, sobject);
    }

    /** Delivers an outbound message for the lead and waits until the normaliser has handled it. */
    void deliver(String leadId, String owner, String modifiedBy, Instant modifiedAt, String email) {
        String notification = "04l" + UUID.randomUUID().toString().replace("-", "").substring(0, 15);
        Map<String, String> f = new LinkedHashMap<>();
        f.put("Id", leadId);
        f.put("Email", email);
        f.put("LastName", "Echo");
        f.put("Company", "Echo Inc");
        f.put("Status", "Open - Not Contacted");
        f.put("OwnerId", owner);
        f.put("LastModifiedById", modifiedBy);
        f.put("LastModifiedDate", SF.format(modifiedAt));
        f.put("SystemModstamp", SF.format(modifiedAt));
        given().contentType("text/xml; charset=utf-8").body(soap(notification, f)).when()
                .post("/webhooks/salesforce/outbound").then().statusCode(200).body(containsString("<Ack>true</Ack>"));
        awaitDone("dedupe_key LIKE '%:" + notification + "'");
    }

    void awaitDone(String condition) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> pool
                .query("SELECT count(*) FROM webhook_event WHERE status = 'DONE' AND " + condition).execute()
                .map(r -> r.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(5)) > 0);
    }

    @Test
    void ourOwnerAssignComesBackWithoutOwnerChangedAndAPersonsChangeStillCounts() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "lead.*");
        String commands = rabbit.bindTemporaryQueue("crm.events", "command.*");
        String email = "echo-" + UUID.randomUUID().toString().substring(0, 8) + "@echo.example";
        Instant t0 = Instant.now().minusSeconds(120);
        Map<String, Object> lead = new LinkedHashMap<>(Map.of("LastName", "Echo", "Company", "Echo Inc", "Email",
                email, "Status", "Open - Not Contacted", "OwnerId", "005REPA000000001AAA"));
        String leadId = SalesforceFakeResource.insert("Lead", lead);
        deliver(leadId, "005REPA000000001AAA", PERSON, t0, email); // lead.created

        // routing assigns rep B: we write the owner (recorded first) ...
        String commandId = UUID.randomUUID().toString();
        rabbit.publish("crm.commands", "owner.assign", commandId, """
                {"specversion":"1.0","id":"%s","type":"owner.assign","source":"/lead-routing-service",
                 "subject":"lead/x","data":{"crm":"salesforce","objectType":"Lead","objectId":"%s",
                 "ownerId":"005REPB000000001AAA"}}""".formatted(commandId, leadId));
        JsonNode outcome = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (outcome == null && System.nanoTime() < deadline) {
            for (Received r : rabbit.await(commands, 10, Duration.ofMillis(300))) {
                JsonNode e = JSON.readTree(r.body());
                if (commandId.equals(e.path("data").path("commandId").asText())) {
                    outcome = e;
                }
            }
        }
        assertNotNull(outcome, "the command was applied");
        assertEquals("command.succeeded", outcome.path("type").asText(), outcome.toString());
        Map<String, Object> inOrg = SalesforceFakeResource.record("Lead", leadId);
        assertEquals("005REPB000000001AAA", inOrg.get("OwnerId"));

        // ... and it comes back through a sync run, saved last by a person who edited another field since
        Instant t1 = Instant.now().minusSeconds(60);
        inOrg.put("SystemModstamp", SF.format(t1));
        inOrg.put("LastModifiedDate", SF.format(t1));
        inOrg.put("CreatedDate", SF.format(t0));
        inOrg.put("LastModifiedById", PERSON);
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        String job = given().auth().oauth2(admin).when().post("/admin/sync/salesforce/leads?mode=full")
                .then().statusCode(202).extract().path("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> "DONE".equals(given().auth().oauth2(admin).when()
                .get("/admin/sync/jobs/" + job).then().extract().path("status")));
        awaitDone("subscription_type = 'sync.Lead' AND object_id = '" + leadId + "'");

        // the integration user saves an owner with no write of ours on record: the documented signal says echo
        deliver(leadId, "005REPC000000001AAA", INTEGRATION_USER, Instant.now().minusSeconds(30), email);
        // a person moves the lead: announced
        deliver(leadId, "005REPD000000001AAA", PERSON, Instant.now().minusSeconds(10), email);

        List<JsonNode> ownerChanges = new ArrayList<>();
        boolean created = false;
        deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline && ownerChanges.stream().noneMatch(
                e -> "005REPD000000001AAA".equals(e.path("data").path("toOwner").asText()))) {
            for (Received r : rabbit.await(queue, 100, Duration.ofMillis(300))) {
                JsonNode e = JSON.readTree(r.body());
                if (!leadId.equals(e.path("data").path("crmId").asText())) {
                    continue;
                }
                created |= "lead.created".equals(e.path("type").asText());
                if ("lead.owner-changed".equals(e.path("type").asText())) {
                    ownerChanges.add(e);
                }
            }
        }
        assertEquals(true, created, "the lead was announced once it was new");
        assertEquals(1, ownerChanges.size(), "only the person's change: " + ownerChanges);
        assertEquals("005REPC000000001AAA", ownerChanges.get(0).path("data").path("fromOwner").asText());
        assertEquals("005REPD000000001AAA", ownerChanges.get(0).path("data").path("toOwner").asText());
        long recorded = pool.preparedQuery("SELECT count(*) FROM crm_own_write WHERE object_id = $1")
                .execute(Tuple.of(leadId.substring(0, 15))).map(r -> r.iterator().next().getLong(0)).await()
                .atMost(Duration.ofSeconds(5));
        assertEquals(0, recorded, "the recorded write was consumed by its echo");
    }
}
