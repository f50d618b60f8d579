package com.revops.sandbox.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class DeliveriesTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final AtomicLong clock = new AtomicLong(1_795_480_000_000L);
    private final List<Map<String, String>> sentHeaders = new ArrayList<>();
    private final List<String> sentBodies = new ArrayList<>();
    private final List<Deliveries.Answer> answers = new ArrayList<>();

    private Deliveries deliveries(int maxAttempts) {
        Deliveries.Transport transport = (url, headers, body, timeout) -> {
            sentHeaders.add(headers);
            sentBodies.add(body);
            Deliveries.Answer a = answers.isEmpty() ? new Deliveries.Answer(200, "") : answers.remove(0);
            return a == null ? CompletableFuture.failedFuture(new java.net.ConnectException("refused"))
                    : CompletableFuture.completedFuture(a);
        };
        return new Deliveries(new Deliveries.Settings("http://gw/webhooks/hubspot", "http://gw/webhooks/sf", 100,
                maxAttempts, 1000, 8000, 5000, 4, 0, 1), new WebhookSigner("secret"), "00DSB0000001Sim2AE",
                "http://sim", "v67.0", transport, clock::get, mapper, new Stats());
    }

    private static Map<String, Object> event(long id) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("eventId", id);
        e.put("subscriptionType", "contact.creation");
        e.put("objectId", 100_000 + id);
        return e;
    }

    @Test
    void batchesUpTo100EventsPerDeliveryAndSignsEach() throws Exception {
        Deliveries d = deliveries(3);
        for (int i = 0; i < 250; i++) {
            d.hubspot(event(i));
        }
        d.tick();
        assertEquals(3, sentBodies.size());
        assertEquals(100, mapper.readTree(sentBodies.get(0)).size());
        assertEquals(50, mapper.readTree(sentBodies.get(2)).size());
        for (int i = 0; i < 3; i++) {
            String ts = sentHeaders.get(i).get("X-HubSpot-Request-Timestamp");
            assertEquals(new WebhookSigner("secret").sign("POST", "http://gw/webhooks/hubspot", sentBodies.get(i),
                    Long.parseLong(ts)), sentHeaders.get(i).get("X-HubSpot-Signature-v3"));
        }
        assertEquals(0, d.pending());
    }

    @Test
    void aFailedDeliveryIsRetriedAfterItsBackOffWithTheNextAttemptNumber() throws Exception {
        Deliveries d = deliveries(3);
        answers.add(new Deliveries.Answer(500, "boom"));
        answers.add(null); // connection refused
        d.hubspot(event(1));
        d.tick();
        assertEquals(1, d.pending());
        d.tick(); // not due yet
        assertEquals(1, sentBodies.size());
        clock.addAndGet(1000);
        d.tick();
        assertEquals(2, sentBodies.size());
        clock.addAndGet(1999);
        d.tick();
        assertEquals(2, sentBodies.size(), "the second back-off is doubled");
        clock.addAndGet(1);
        d.tick();
        assertEquals(3, sentBodies.size());
        JsonNode third = mapper.readTree(sentBodies.get(2));
        assertEquals(2, third.get(0).get("attemptNumber").asInt());
        assertEquals(1, third.get(0).get("eventId").asInt());
        assertEquals(0, d.pending());
        List<String> states = d.outcomes(null, 10).stream().map(Deliveries.Outcome::state).toList();
        assertEquals(List.of("RETRYING", "RETRYING", "DELIVERED"), states);
        assertEquals(500, d.outcomes("RETRYING", 10).get(0).status());
    }

    @Test
    void givesUpAfterTheLastAttemptAndRecordsIt() {
        Deliveries d = deliveries(2);
        answers.add(new Deliveries.Answer(401, "bad signature"));
        answers.add(new Deliveries.Answer(401, "bad signature"));
        d.hubspot(event(1));
        d.tick();
        clock.addAndGet(1000);
        d.tick();
        assertEquals(0, d.pending());
        Deliveries.Outcome last = d.outcomes("FAILED", 10).get(0);
        assertEquals(401, last.status());
        assertTrue(last.error().contains("bad signature"));
    }

    @Test
    void outboundMessagesGroupOneObjectTypeAndNeedAnAck() {
        Deliveries d = deliveries(3);
        answers.add(new Deliveries.Answer(200, "<soapenv:Envelope><soapenv:Body><notificationsResponse>"
                + "<Ack>false</Ack></notificationsResponse></soapenv:Body></soapenv:Envelope>"));
        answers.add(new Deliveries.Answer(200, "<Envelope><Body><notificationsResponse><Ack>true</Ack>"
                + "</notificationsResponse></Body></Envelope>"));
        answers.add(new Deliveries.Answer(200, "<x:Ack>true</x:Ack>"));
        d.salesforce(new OutboundMessages.Notification("04lSb0000000001AAA", "Lead", Map.of("Id",
                "00QSb0000000001MAA", "Status", "Open - Not Contacted")));
        d.salesforce(new OutboundMessages.Notification("04lSb0000000002AAA", "Task", Map.of("Id",
                "00TSb0000000001MAA")));
        d.tick();
        assertEquals(2, sentBodies.size());
        assertTrue(sentBodies.get(0).contains("<OrganizationId>00DSB0000001Sim2AE</OrganizationId>"));
        assertTrue(sentBodies.get(0).contains("xsi:type=\"sf:Lead\""));
        assertTrue(sentBodies.get(0).contains("<sf:Status>Open - Not Contacted</sf:Status>"));
        assertTrue(sentBodies.get(1).contains("xsi:type=\"sf:Task\""));
        assertEquals("\"\"", sentHeaders.get(0).get("SOAPAction"));
        assertEquals(1, d.pending(), "the Lead message was not acknowledged");
        clock.addAndGet(1000);
        d.tick();
        assertEquals(0, d.pending());
    }
}
