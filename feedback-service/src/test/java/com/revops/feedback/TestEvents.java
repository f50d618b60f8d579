package com.revops.feedback;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.testing.RabbitTestClient;

/** Plays the gateway and lead-routing on the real broker, and reads what this service sent. */
public final class TestEvents {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestEvents() {
    }

    public static void publish(RabbitTestClient rabbit, String exchange, String type, UUID leadId, String data)
            throws Exception {
        String id = UUID.randomUUID().toString();
        rabbit.publish(exchange, type, id, """
                {"specversion":"1.0","id":"%s","type":"%s","source":"/test","time":"%s","subject":"lead/%s",
                 "dataschema":"urn:revops:schema:%s:1","datacontenttype":"application/json","data":%s}"""
                .formatted(id, type, Instant.now(), leadId, type, data));
    }

    /** A HubSpot lead as the gateway announces it. */
    public static void leadCreated(RabbitTestClient rabbit, UUID leadId, String crmId, String company, String source,
            String campaign) throws Exception {
        publish(rabbit, "crm.events", "lead.created", leadId, """
                {"leadId":"%s","crm":"hubspot","crmId":"%s","email":"x-%s@example.com","company":%s,
                 "country":"DE","companySize":"51-200","industry":"Software","source":"%s","channel":"google-ads",
                 "campaign":"%s","intentTier":"high","status":"NEW","owner":"7001",
                 "createdAt":"%s"}""".formatted(leadId, crmId, crmId, quote(company), source, campaign,
                Instant.now().minus(Duration.ofDays(3))));
    }

    public static void leadRouted(RabbitTestClient rabbit, UUID leadId, String crmId, String owner, String team)
            throws Exception {
        publish(rabbit, "routing.events", "lead.routed", leadId, """
                {"leadId":"%s","crm":"hubspot","crmId":"%s","decisionId":"%s","reason":"rule",
                 "ownerUsername":"%s","ownerCrmId":"7001","teamId":"%s","teamName":"%s","ruleSetVersion":4,
                 "ruleName":"emea-inbound","routedAt":"%s"}""".formatted(leadId, crmId, UUID.randomUUID(), owner,
                UUID.nameUUIDFromBytes(team.getBytes()), team, Instant.now().minus(Duration.ofDays(3))));
    }

    public static void statusChanged(RabbitTestClient rabbit, UUID leadId, String crmId, String from, String to,
            String reason, boolean reasonOnly) throws Exception {
        publish(rabbit, "crm.events", "lead.status-changed", leadId, """
                {"leadId":"%s","crm":"hubspot","crmId":"%s","from":%s,"to":"%s","disqualificationReason":%s,
                 %s"changedAt":"%s"}""".formatted(leadId, crmId, from == null ? "null" : '"' + from + '"', to,
                reason == null ? "null" : '"' + reason + '"', reasonOnly ? "\"reasonOnly\":true," : "",
                Instant.now()));
    }

    static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits for a message on {@code queue} whose parsed envelope matches; others are dropped (not ours). */
    public static JsonNode awaitMessage(RabbitTestClient rabbit, String queue, Predicate<JsonNode> match,
            Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<RabbitTestClient.Received> got = rabbit.await(queue, 1, Duration.ofMillis(500));
            for (RabbitTestClient.Received r : got) {
                JsonNode envelope = JSON.readTree(r.body());
                if (match.test(envelope)) {
                    return envelope;
                }
            }
        }
        throw new AssertionError("no matching message on " + queue + " within " + timeout);
    }
}
