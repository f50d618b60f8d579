package com.revops.gateway.faults;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The broker goes away: webhooks are still acknowledged and stored, canonical events wait in the outbox, and once
 * the broker is back every event arrives, each lead's creation as one event id.
 */
@QuarkusTest
class BrokerOutageTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @AfterEach
    void restore() throws Exception {
        BrokerProxyResource.PROXY.resume();
    }

    static String outbound(String leadId) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
                  <soapenv:Body>
                    <notifications xmlns="http://soap.sforce.com/2005/09/outbound">
                      <OrganizationId>00D5g000004ABCDEAA</OrganizationId>
                      <Notification>
                        <Id>04l%s</Id>
                        <sObject xsi:type="sf:Lead" xmlns:sf="urn:sobject.enterprise.soap.sforce.com">
                          <sf:Id>%s</sf:Id>
                          <sf:Email>%s@outage.example</sf:Email>
                          <sf:Status>Open - Not Contacted</sf:Status>
                        </sObject>
                      </Notification>
                    </notifications>
                  </soapenv:Body>
                </soapenv:Envelope>""".formatted(leadId, leadId, leadId.toLowerCase());
    }

    @Test
    void webhooksAreAcknowledgedDuringAnOutageAndEveryEventIsPublishedAfterIt() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "lead.created");
        BrokerProxyResource.PROXY.pause();
        given().when().get("/q/health/ready").then().statusCode(503);

        Set<String> leads = new java.util.HashSet<>();
        for (int i = 0; i < 5; i++) {
            String id = "00Q" + UUID.randomUUID().toString().replace("-", "").substring(0, 15).toUpperCase();
            leads.add(id);
            long started = System.nanoTime();
            given().contentType("text/xml").body(outbound(id)).when().post("/webhooks/salesforce/outbound").then()
                    .statusCode(200);
            // and again: Salesforce retries when it is unsure
            given().contentType("text/xml").body(outbound(id)).when().post("/webhooks/salesforce/outbound").then()
                    .statusCode(200);
            assertEquals(true, Duration.ofNanos(System.nanoTime() - started).toMillis() < 5000,
                    "answered well under HubSpot's and Salesforce's time-outs");
        }
        Thread.sleep(3000); // the normaliser has derived the events; they wait in the outbox
        assertEquals(0, rabbit.await(queue, 1, Duration.ofMillis(500)).size(), "nothing got through");

        BrokerProxyResource.PROXY.resume();
        Map<String, Set<String>> idsPerLead = new HashMap<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && !idsPerLead.keySet().containsAll(leads)) {
            for (Received r : rabbit.await(queue, 1, Duration.ofMillis(200))) {
                JsonNode e = JSON.readTree(r.body());
                String crmId = e.path("data").path("crmId").asText();
                if (leads.contains(crmId)) {
                    idsPerLead.computeIfAbsent(crmId, k -> new java.util.HashSet<>()).add(e.path("id").asText());
                }
            }
        }
        // let any late copy arrive before counting
        for (Received r : rabbit.await(queue, 50, Duration.ofSeconds(2))) {
            JsonNode e = JSON.readTree(r.body());
            String crmId = e.path("data").path("crmId").asText();
            if (leads.contains(crmId)) {
                idsPerLead.computeIfAbsent(crmId, k -> new java.util.HashSet<>()).add(e.path("id").asText());
            }
        }
        assertEquals(leads, idsPerLead.keySet(), "every lead's event arrived after the outage");
        idsPerLead.forEach((lead, ids) -> assertEquals(1, ids.size(), lead + " was created once, one event id"));
        given().when().get("/q/health/ready").then().statusCode(200);
    }
}
