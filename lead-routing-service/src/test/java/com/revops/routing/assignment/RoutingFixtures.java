package com.revops.routing.assignment;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import io.restassured.http.ContentType;

/** Builds a routing model through the admin API, and the gateway's events, for the routing tests. */
final class RoutingFixtures {

    private RoutingFixtures() {
    }

    /** Two reps in a fresh team, a channel of their own, a rule set sending that channel to the team. */
    record Setup(String channel, String teamName, String repA, String repB, String ownerA, String ownerB) {
    }

    static Setup setup(String admin, int slaSeconds, int maxReassignments) {
        return setup(admin, slaSeconds, maxReassignments, 10, null);
    }

    static Setup setup(String admin, int slaSeconds, int maxReassignments, int capacity, String keycloakGroup) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        Setup s = new Setup("ch-" + tag, "team-" + tag, "a-" + tag, "b-" + tag, "hs-a-" + tag, "hs-b-" + tag);
        for (String[] rep : new String[][] {{s.repA(), s.ownerA()}, {s.repB(), s.ownerB()}}) {
            given().auth().oauth2(admin).contentType(ContentType.JSON)
                    .body("{\"displayName\":\"" + rep[0] + "\",\"hubspotOwnerId\":\"" + rep[1]
                            + "\",\"timeZone\":\"UTC\",\"capacity\":" + capacity + "}")
                    .put("/admin/reps/" + rep[0]).then().statusCode(200);
        }
        String teamId = given().auth().oauth2(admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + s.teamName() + "\",\"keycloakGroup\":\"" + (keycloakGroup == null ? s.teamName() : keycloakGroup) + "\"}")
                .post("/admin/teams").then().statusCode(201).extract().path("id");
        for (String rep : List.of(s.repA(), s.repB())) {
            given().auth().oauth2(admin).contentType(ContentType.JSON).body("{\"weight\":1}")
                    .put("/admin/teams/" + teamId + "/members/" + rep).then().statusCode(200);
        }
        given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"priority":1,"channel":"%s","targetSeconds":%d,"clock":"WALL","warningRatio":0.5,
                 "maxReassignments":%d,"fallbackQueue":"escalations-%s","active":true}"""
                .formatted(s.channel(), slaSeconds, maxReassignments, tag))
                .put("/admin/sla-policies/sla-" + tag).then().statusCode(200);
        int version = given().auth().oauth2(admin).contentType(ContentType.JSON).body("""
                {"description":"e2e %s","definition":{"fallbackQueue":"triage","rules":[
                  {"name":"channel %s","when":{"field":"channel","op":"eq","value":"%s"},
                   "then":{"type":"team","team":"%s"}}]}}""".formatted(tag, tag, s.channel(), s.teamName()))
                .post("/routing/rule-sets").then().statusCode(201).extract().path("version");
        given().auth().oauth2(admin).post("/routing/rule-sets/" + version + "/validate").then().statusCode(200);
        given().auth().oauth2(admin).post("/routing/rule-sets/" + version + "/publish").then().statusCode(200)
                .body("status", equalTo("PUBLISHED"));
        return s;
    }

    static String leadCreated(UUID leadId, String channel, Instant createdAt) {
        return """
                {"specversion":"1.0","id":"%s","type":"lead.created","source":"/gateway","subject":"lead/%s",
                 "datacontenttype":"application/json",
                 "data":{"leadId":"%s","crm":"hubspot","crmId":"hs-%s","email":"p-%s@example.org","firstName":"Pat",
                         "company":"Example","country":"US","source":"organic","channel":"%s","intentTier":"high",
                         "createdAt":"%s"}}""".formatted(UUID.randomUUID(), leadId, leadId, leadId, leadId, channel,
                createdAt);
    }

    static String activity(UUID leadId, String ownerId, String type, Instant at) {
        return """
                {"specversion":"1.0","id":"%s","type":"activity.logged","source":"/gateway",
                 "data":{"activityId":"%s","crm":"hubspot","crmId":"call-1","type":"%s","direction":"outbound",
                         "ownerId":"%s","leadId":"%s","occurredAt":"%s","outcome":"connected"}}"""
                .formatted(UUID.randomUUID(), UUID.randomUUID(), type, ownerId, leadId, at);
    }


    /**
     * Waits for {@code n} messages about {@code leadId} on {@code queue}, skipping others: the exchanges are shared
     * with earlier tests whose outbox may still be draining.
     */
    static List<com.revops.platform.testing.RabbitTestClient.Received> awaitAbout(
            com.revops.platform.testing.RabbitTestClient rabbit, String queue, UUID leadId, int n,
            java.time.Duration timeout) throws Exception {
        List<com.revops.platform.testing.RabbitTestClient.Received> out = new java.util.ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            for (var r : rabbit.await(queue, 1, java.time.Duration.ofMillis(200))) {
                if (r.body().contains(leadId.toString())) {
                    out.add(r);
                }
            }
        }
        return out;
    }
}
