package com.revops.gateway.normalise;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.hubspot.HubSpotFake;
import com.revops.gateway.crm.hubspot.HubSpotFakeResource;
import com.revops.gateway.webhooks.HubSpotSignatureVerifier;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;

/**
 * From a signed webhook to canonical events on {@code crm.events}, over the real PostgreSQL and RabbitMQ, with the
 * HubSpot API played by the documented fake, failures included.
 */
@QuarkusTest
class NormaliserTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HubSpotFake HUBSPOT = HubSpotFakeResource.FAKE;
    static RabbitTestClient rabbit;
    String queue;

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @BeforeEach
    void listen() throws Exception {
        queue = rabbit.bindTemporaryQueue("crm.events", "lead.*");
        rabbit.bindTemporaryQueue("crm.events", "contact.*");
    }

    static long newContact(Map<String, String> extra) {
        long id = ThreadLocalRandom.current().nextLong(10_000_000, 900_000_000);
        Map<String, String> props = new HashMap<>();
        props.put("email", "lead" + id + "@acme-" + id + ".example");
        props.put("firstname", "Ana");
        props.put("lastname", "Souza");
        props.put("hs_analytics_source", "PAID_SEARCH");
        props.put("hs_analytics_source_data_1", "google");
        props.put("intent_tier", "demo-request");
        props.put("hs_lead_status", "NEW");
        props.put("hubspot_owner_id", "101");
        props.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
        props.putAll(extra);
        synchronized (HUBSPOT) {
            HUBSPOT.contacts.put(id, props);
        }
        return id;
    }

    static void modify(long id, Map<String, String> changes) {
        synchronized (HUBSPOT) {
            Map<String, String> props = HUBSPOT.contacts.get(id);
            props.putAll(changes);
            props.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
        }
    }

    static void webhook(String type, long objectId, String propertyName, String value) {
        long eventId = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
        String body = "[{\"eventId\":" + eventId + ",\"subscriptionId\":77,\"portalId\":62515,\"appId\":99,"
                + "\"occurredAt\":" + System.currentTimeMillis() + ",\"subscriptionType\":\"" + type + "\","
                + "\"attemptNumber\":0,\"objectId\":" + objectId + ",\"changeSource\":\"CRM_UI\""
                + (propertyName == null ? "" : ",\"propertyName\":\"" + propertyName + "\",\"propertyValue\":\""
                        + value + "\"")
                + "}]";
        send(body);
    }

    static void send(String body) {
        long ts = System.currentTimeMillis();
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3("test-hubspot-secret", "POST",
                        "http://localhost:8080/webhooks/hubspot", body.getBytes(StandardCharsets.UTF_8), ts))
                .header("X-HubSpot-Request-Timestamp", Long.toString(ts))
                .body(body).when().post("/webhooks/hubspot").then().statusCode(200);
    }

    /** Events about one CRM object that arrive within {@code wait}. */
    List<JsonNode> eventsFor(String crmId, int expected, Duration wait) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline && out.size() < expected) {
            for (Received r : rabbit.await(queue, 1, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                if (crmId.equals(e.path("data").path("crmId").asText())) {
                    assertEquals(e.path("id").asText(), r.messageId());
                    out.add(e);
                }
            }
        }
        return out;
    }

    @Test
    void contactCreationBecomesOneLeadCreatedWithMappedFields() throws Exception {
        long id = newContact(Map.of());
        webhook("contact.creation", id, null, null);
        List<JsonNode> events = eventsFor(Long.toString(id), 1, Duration.ofSeconds(15));
        assertEquals(1, events.size());
        JsonNode e = events.get(0);
        assertEquals("lead.created", e.path("type").asText());
        assertEquals("/gateway", e.path("source").asText());
        JsonNode data = e.path("data");
        assertEquals("hubspot", data.path("crm").asText());
        assertEquals("PAID_SEARCH", data.path("source").asText());
        assertEquals("google", data.path("channel").asText());
        assertEquals("demo-request", data.path("intentTier").asText());
        assertEquals("acme-" + id + ".example", data.path("accountDomain").asText());
        assertNotNull(data.path("leadId").asText(null));
        assertEquals("lead/" + data.path("leadId").asText(), e.path("subject").asText());

        // HubSpot delivers again, and a property change that changes nothing arrives: no new event
        webhook("contact.creation", id, null, null);
        webhook("contact.propertyChange", id, "firstname", "Ana");
        assertEquals(0, eventsFor(Long.toString(id), 1, Duration.ofSeconds(3)).size());
    }

    @Test
    void disqualificationWithAReasonBecomesStatusChanged() throws Exception {
        long id = newContact(Map.of());
        webhook("contact.creation", id, null, null);
        assertEquals(1, eventsFor(Long.toString(id), 1, Duration.ofSeconds(15)).size());

        modify(id, Map.of("hs_lead_status", "UNQUALIFIED", "disqualification_reason", "NO_BUDGET"));
        webhook("contact.propertyChange", id, "hs_lead_status", "UNQUALIFIED");
        List<JsonNode> events = eventsFor(Long.toString(id), 1, Duration.ofSeconds(15));
        assertEquals(1, events.size());
        JsonNode data = events.get(0).path("data");
        assertEquals("lead.status-changed", events.get(0).path("type").asText());
        assertEquals("NEW", data.path("from").asText());
        assertEquals("UNQUALIFIED", data.path("to").asText());
        assertEquals("NO_BUDGET", data.path("disqualificationReason").asText());
    }

    @Test
    void ownerChangeBecomesOwnerChanged() throws Exception {
        long id = newContact(Map.of());
        webhook("contact.creation", id, null, null);
        assertEquals(1, eventsFor(Long.toString(id), 1, Duration.ofSeconds(15)).size());
        modify(id, Map.of("hubspot_owner_id", "202"));
        webhook("contact.propertyChange", id, "hubspot_owner_id", "202");
        List<JsonNode> events = eventsFor(Long.toString(id), 1, Duration.ofSeconds(15));
        assertEquals("lead.owner-changed", events.get(0).path("type").asText());
        assertEquals("101", events.get(0).path("data").path("fromOwner").asText());
        assertEquals("202", events.get(0).path("data").path("toOwner").asText());
    }

    @Test
    void ourOwnOwnerWriteComingBackIsNeitherReadNorAnnouncedAndTheNextChangeStartsFromIt() throws Exception {
        long id = newContact(Map.of());
        webhook("contact.creation", id, null, null);
        assertEquals(1, eventsFor(Long.toString(id), 1, Duration.ofSeconds(15)).size());
        long readsBefore = HUBSPOT.contactReads.stream().filter(Long.toString(id)::equals).count();

        // our owner.assign wrote 303; HubSpot tells us, as our app's (4242) integration change
        modify(id, Map.of("hubspot_owner_id", "303"));
        send("[{\"eventId\":" + ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)
                + ",\"subscriptionId\":77,\"portalId\":62515,\"appId\":99,\"occurredAt\":" + System.currentTimeMillis()
                + ",\"subscriptionType\":\"contact.propertyChange\",\"attemptNumber\":0,\"objectId\":" + id
                + ",\"changeSource\":\"INTEGRATION\",\"sourceId\":\"4242\",\"propertyName\":\"hubspot_owner_id\","
                + "\"propertyValue\":\"303\"}]");
        assertEquals(0, eventsFor(Long.toString(id), 1, Duration.ofSeconds(3)).size(), "our own write: no event");
        assertEquals(readsBefore, HUBSPOT.contactReads.stream().filter(Long.toString(id)::equals).count(),
                "the webhook's value is enough: no API call spent on our own write");

        // a person then moves the lead: announced once, from the owner we wrote (the state took the echo's value)
        Thread.sleep(5); // HubSpot's last-modified time moves on
        modify(id, Map.of("hubspot_owner_id", "404"));
        webhook("contact.propertyChange", id, "hubspot_owner_id", "404");
        List<JsonNode> events = eventsFor(Long.toString(id), 2, Duration.ofSeconds(8));
        assertEquals(1, events.size(), events.toString());
        assertEquals("lead.owner-changed", events.get(0).path("type").asText());
        assertEquals("303", events.get(0).path("data").path("fromOwner").asText());
        assertEquals("404", events.get(0).path("data").path("toOwner").asText());
    }

    @Test
    void whileHubSpotFailsWebhooksAreStillAcknowledgedAndEachEventIsPublishedOnceAfterRecovery()
            throws Exception {
        long id = newContact(Map.of());
        // a 429 on the ten-second policy, then 500s beyond the client's retries: the first round fails
        HUBSPOT.failNext(HubSpotFake.rateLimited("TEN_SECONDLY_ROLLING"), HubSpotFake.serverError(),
                HubSpotFake.serverError(), HubSpotFake.serverError());
        webhook("contact.creation", id, null, null); // acknowledged at once (asserted 200 in webhook())
        webhook("contact.creation", id, null, null);
        List<JsonNode> events = eventsFor(Long.toString(id), 2, Duration.ofSeconds(40));
        assertEquals(1, events.size(), "published once, after HubSpot recovered");
        assertEquals("lead.created", events.get(0).path("type").asText());
    }

    @Test
    void salesforceOutboundLeadBecomesTheSamePersonAsInHubSpot() throws Exception {
        long hubspotId = newContact(Map.of());
        String email = HUBSPOT.contacts.get(hubspotId).get("email");
        webhook("contact.creation", hubspotId, null, null);
        String hubspotLead = eventsFor(Long.toString(hubspotId), 1, Duration.ofSeconds(15)).get(0)
                .path("data").path("leadId").asText();

        String sfId = "00Q" + Long.toString(hubspotId, 36).toUpperCase() + "XYZ";
        String soap = """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <soapenv:Body>
                    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                      <OrganizationId>00D5g000004ABCDEAA</OrganizationId>
                      <ActionId>04k5g000000XYZAAA</ActionId>
                      <Notification>
                        <Id>04l%s</Id>
                        <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                          <sf:Id>%s</sf:Id>
                          <sf:Email>%s</sf:Email>
                          <sf:LeadSource>Web</sf:LeadSource>
                          <sf:Status>Open - Not Contacted</sf:Status>
                          <sf:LastModifiedDate>2026-11-23T10:00:00.000Z</sf:LastModifiedDate>
                        </sObject>
                      </Notification>
                    </notifications>
                  </soapenv:Body>
                </soapenv:Envelope>""".formatted(sfId, sfId, email.toUpperCase());
        given().contentType("text/xml").body(soap).when().post("/webhooks/salesforce/outbound").then()
                .statusCode(200);
        List<JsonNode> events = eventsFor(sfId, 1, Duration.ofSeconds(15));
        assertEquals("lead.created", events.get(0).path("type").asText());
        assertEquals("salesforce", events.get(0).path("data").path("crm").asText());
        assertEquals("DIRECT_TRAFFIC", events.get(0).path("data").path("source").asText(),
                "Salesforce's LeadSource in the same vocabulary as HubSpot's sources");
        assertEquals("Web", events.get(0).path("data").path("crmSource").asText());
        assertEquals(hubspotLead, events.get(0).path("data").path("leadId").asText(), "one person, one identity");
    }

    @Test
    void dealMovesBecomeDealChangedWithTheirContactsAndCompany() throws Exception {
        String dealQueue = rabbit.bindTemporaryQueue("crm.events", "deal.*");
        long contact = newContact(Map.of());
        webhook("contact.creation", contact, null, null);
        String leadId = eventsFor(Long.toString(contact), 1, Duration.ofSeconds(15)).get(0).path("data")
                .path("leadId").asText();

        long deal = ThreadLocalRandom.current().nextLong(10_000_000, 900_000_000);
        Map<String, String> props = new HashMap<>(Map.of("dealname", "Acme platform", "dealstage", "appointmentscheduled",
                "pipeline", "default", "amount", "48000", "deal_currency_code", "EUR", "closedate",
                "2026-12-31T00:00:00Z", "hubspot_owner_id", "101",
                "hs_lastmodifieddate", Long.toString(System.currentTimeMillis())));
        synchronized (HUBSPOT) {
            HUBSPOT.deals.put(deal, props);
            HUBSPOT.associations.put("deals|contacts|" + deal, List.of(Long.toString(contact)));
            HUBSPOT.associations.put("deals|companies|" + deal, List.of("777"));
        }
        webhook("deal.creation", deal, null, null);
        JsonNode created = dealEvent(dealQueue, Long.toString(deal));
        assertEquals("deal.changed", created.path("type").asText());
        assertEquals(true, created.path("data").path("isNew").asBoolean());
        assertEquals("48000", created.path("data").path("amount").asText());
        assertEquals("EUR", created.path("data").path("currency").asText());
        assertEquals("777", created.path("data").path("companies").asText());
        assertEquals(leadId, created.path("data").path("contactLeadIds").path(Long.toString(contact)).asText());

        synchronized (HUBSPOT) {
            props.put("dealstage", "closedwon");
            props.put("hs_lastmodifieddate", Long.toString(System.currentTimeMillis() + 1));
        }
        webhook("deal.propertyChange", deal, "dealstage", "closedwon");
        JsonNode moved = dealEvent(dealQueue, Long.toString(deal));
        assertEquals("appointmentscheduled", moved.path("data").path("previousStage").asText());
        assertEquals("closedwon", moved.path("data").path("stage").asText());
        assertEquals(1, moved.path("data").path("changes").size(), "only the stage moved");

        webhook("deal.propertyChange", deal, "dealstage", "closedwon"); // a repeat changes nothing
        assertEquals(null, dealEventOrNull(dealQueue, Long.toString(deal), Duration.ofSeconds(3)));
    }

    JsonNode dealEvent(String dealQueue, String crmId) throws Exception {
        JsonNode e = dealEventOrNull(dealQueue, crmId, Duration.ofSeconds(15));
        assertNotNull(e, "a deal.changed for " + crmId);
        return e;
    }

    JsonNode dealEventOrNull(String dealQueue, String crmId, Duration wait) throws Exception {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            for (Received r : rabbit.await(dealQueue, 1, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                if (crmId.equals(e.path("data").path("crmId").asText())) {
                    return e;
                }
            }
        }
        return null;
    }
}
