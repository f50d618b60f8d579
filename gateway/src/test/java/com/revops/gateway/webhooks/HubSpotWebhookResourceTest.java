package com.revops.gateway.webhooks;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * HubSpot deliveries over HTTP: signed ones are stored before the 200 and split into their (deduplicated) events
 * right after it; anything unsigned, tampered, stale or malformed gets its 4xx and leaves nothing behind. The gateway
 * believes it is reached at http://localhost:8080 (GATEWAY_PUBLIC_URL) whatever port the test uses, as behind a
 * proxy.
 *
 * <p>The answer counts the events accepted; the stored, duplicate and ignored counts are recorded on the delivery by
 * the split, so the tests read them there once it is split (before the split was deferred, they were in the answer).
 */
@QuarkusTest
class HubSpotWebhookResourceTest {

    static final String SECRET = "test-hubspot-secret";
    static final String SIGNED_URI = "http://localhost:8080/webhooks/hubspot";

    @Inject
    Pool pool;

    static long portal = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);

    static String event(long eventId, String type, long objectId, long occurredAt) {
        return """
                {"eventId":%d,"subscriptionId":1234,"portalId":%d,"appId":99,"occurredAt":%d,
                 "subscriptionType":"%s","attemptNumber":0,"objectId":%d,"changeSource":"CRM_UI",
                 "propertyName":"email","propertyValue":"ana@example.com"}""".formatted(eventId, portal, occurredAt,
                type, objectId);
    }

    static String batch(int n, String type) {
        long base = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append(event(base + i, type, 1000 + i, 1_764_000_000_000L + i));
        }
        return b.append("]").toString();
    }

    static RequestSpecification signed(String body) {
        long ts = System.currentTimeMillis();
        return given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3(SECRET, "POST", SIGNED_URI,
                        body.getBytes(StandardCharsets.UTF_8), ts))
                .header("X-HubSpot-Request-Timestamp", Long.toString(ts))
                .body(body);
    }

    long count(String sql) {
        return pool.query(sql).execute().map(r -> r.iterator().next().getLong(0)).await()
                .atMost(Duration.ofSeconds(5));
    }

    long deliveries() {
        return count("SELECT count(*) FROM webhook_delivery");
    }

    /** The delivery's {stored, duplicates, ignored} once the splitter has split it. */
    long[] awaitSplit(String deliveryId) {
        long[][] counts = new long[1][];
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Row r = pool.query("SELECT stored, duplicates, ignored, split_error FROM webhook_delivery WHERE id = '"
                    + deliveryId + "' AND split_at IS NOT NULL").execute().map(rows -> rows.iterator().hasNext()
                            ? rows.iterator().next() : null).await().atMost(Duration.ofSeconds(5));
            if (r == null) {
                return false;
            }
            assertNull(r.getString("split_error"));
            counts[0] = new long[] {r.getLong("stored"), r.getLong("duplicates"), r.getLong("ignored")};
            return true;
        });
        return counts[0];
    }

    @Test
    void signedDeliveryIsStoredBeforeItIsAcknowledged() {
        String body = batch(3, "contact.creation");
        String deliveryId = signed(body).when().post("/webhooks/hubspot").then()
                .statusCode(200)
                .body("accepted", equalTo(3))
                .extract().path("deliveryId");
        // durable when answered: the delivery as received, with its headers
        assertEquals(1, count("SELECT count(*) FROM webhook_delivery WHERE id = '" + deliveryId + "' AND body = '"
                + body.replace("'", "''") + "' AND headers ? 'x-hubspot-signature-v3' AND event_count = 3"));
        assertArrayEquals(new long[] {3, 0, 0}, awaitSplit(deliveryId));
        assertEquals(3, count("SELECT count(*) FROM webhook_event WHERE delivery_id = '" + deliveryId
                + "' AND crm = 'hubspot' AND object_type = 'contact'"));
    }

    @Test
    void eachStoredEventKeepsItsOwnElementOfTheBodyAsPayload() {
        long base = ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
        String odd = """
                {"eventId":%d,"subscriptionId":1234,"portalId":%d,"occurredAt":1764000000000,
                 "subscriptionType":"contact.propertyChange","objectId":77,"propertyName":"firstname",
                 "propertyValue":"Zoë \\"the\\" 東京","nested":{"eventId":"not this","list":[1,{"a":null}]}}"""
                .formatted(base + 5, portal);
        String body = "[" + event(base, "contact.creation", 11, 1_764_000_000_001L) + ", " + odd + ",\n"
                + event(base + 9, "deal.creation", 13, 1_764_000_000_002L) + "]";
        String deliveryId = signed(body).when().post("/webhooks/hubspot").then().statusCode(200)
                .body("accepted", equalTo(3)).extract().path("deliveryId");
        assertArrayEquals(new long[] {3, 0, 0}, awaitSplit(deliveryId));
        // every event's payload is the element of the body it was parsed from, not a neighbour's
        assertEquals(3, count("SELECT count(*) FROM webhook_event WHERE delivery_id = '" + deliveryId
                + "' AND payload ->> 'objectId' = object_id AND split_part(dedupe_key, ':', 3) = payload ->> 'eventId'"
                + " AND payload ->> 'subscriptionType' = subscription_type"));
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE delivery_id = '" + deliveryId
                + "' AND payload = '" + odd.replace("'", "''") + "'::jsonb"));
    }

    @Test
    void repeatedDeliveryIsAcknowledgedButStoredOnce() {
        String body = batch(2, "contact.propertyChange");
        String first = signed(body).when().post("/webhooks/hubspot").then().statusCode(200)
                .body("accepted", equalTo(2)).extract().path("deliveryId");
        assertArrayEquals(new long[] {2, 0, 0}, awaitSplit(first));
        // HubSpot retries (a new timestamp, same events): acknowledged again, no second copy of the events
        String retry = signed(body).when().post("/webhooks/hubspot").then().statusCode(200)
                .body("accepted", equalTo(2)).extract().path("deliveryId");
        assertArrayEquals(new long[] {0, 2, 0}, awaitSplit(retry));
        assertEquals(0, count("SELECT count(*) FROM webhook_event WHERE delivery_id = '" + retry + "'"));
        assertEquals(2, count("SELECT count(*) FROM webhook_event WHERE delivery_id = '" + first + "'"));
    }

    @Test
    void unknownSubscriptionTypeIsStoredAndMarkedIgnored() {
        String body = batch(1, "ticket.creation");
        String deliveryId = signed(body).when().post("/webhooks/hubspot").then().statusCode(200)
                .body("accepted", equalTo(1)).extract().path("deliveryId");
        assertArrayEquals(new long[] {1, 0, 1}, awaitSplit(deliveryId));
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE delivery_id = '" + deliveryId
                + "' AND status = 'IGNORED'"));
    }

    @Test
    void badSignaturesAre401AndStoreNothing() {
        String body = batch(1, "contact.creation");
        long before = deliveries();
        long now = System.currentTimeMillis();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        // body changed by one byte after signing
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3(SECRET, "POST", SIGNED_URI, bytes, now))
                .header("X-HubSpot-Request-Timestamp", Long.toString(now))
                .body(body.replace("\"appId\":99", "\"appId\":98"))
                .when().post("/webhooks/hubspot").then().statusCode(401).contentType("application/problem+json");
        // wrong secret
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3("wrong", "POST", SIGNED_URI, bytes, now))
                .header("X-HubSpot-Request-Timestamp", Long.toString(now))
                .body(body).when().post("/webhooks/hubspot").then().statusCode(401);
        // timestamp older than five minutes
        long old = now - Duration.ofMinutes(6).toMillis();
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3(SECRET, "POST", SIGNED_URI, bytes, old))
                .header("X-HubSpot-Request-Timestamp", Long.toString(old))
                .body(body).when().post("/webhooks/hubspot").then().statusCode(401)
                .body("detail", equalTo("X-HubSpot-Request-Timestamp is outside the 5-minute window"));
        // missing headers
        given().contentType("application/json").body(body).when().post("/webhooks/hubspot").then().statusCode(401);
        // signed for another URL (the port the test really used, not the public URL)
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3(SECRET, "POST",
                        "http://localhost:9999/webhooks/hubspot", bytes, now))
                .header("X-HubSpot-Request-Timestamp", Long.toString(now))
                .body(body).when().post("/webhooks/hubspot").then().statusCode(401);
        assertEquals(before, deliveries());
    }

    @Test
    void urlWithAnEncodedQueryVerifies() {
        String body = batch(1, "contact.creation");
        long ts = System.currentTimeMillis();
        String path = "/webhooks/hubspot?source=ana%40example.com&tag=a%20b";
        given().contentType("application/json")
                .header("X-HubSpot-Signature-v3", HubSpotSignatureVerifier.signV3(SECRET, "POST",
                        "http://localhost:8080" + path, body.getBytes(StandardCharsets.UTF_8), ts))
                .header("X-HubSpot-Request-Timestamp", Long.toString(ts))
                .body(body)
                .urlEncodingEnabled(false)
                .when().post(path).then().statusCode(200);
    }

    @Test
    void malformedJsonIs400AndStoresNothing() {
        long before = deliveries();
        signed("[{\"eventId\": 1,").when().post("/webhooks/hubspot").then()
                .statusCode(400).contentType("application/problem+json");
        signed("{\"not\":\"an array\"}").when().post("/webhooks/hubspot").then().statusCode(400);
        signed("[{\"eventId\":1}]").when().post("/webhooks/hubspot").then().statusCode(400)
                .body("detail", equalTo("event 0 has no subscriptionId"));
        signed(batch(2, "contact.creation") + " {").when().post("/webhooks/hubspot").then().statusCode(400);
        signed(batch(2, "contact.creation") + "]").when().post("/webhooks/hubspot").then().statusCode(400);
        signed("[" + event(1, "contact.creation", 1, 1L) + ", 7]").when().post("/webhooks/hubspot").then()
                .statusCode(400).body("detail", equalTo("event 1 is not an object"));
        assertEquals(before, deliveries());
    }

    @Test
    void moreThan100EventsOrOver1MiBIs413AndStoresNothing() {
        long before = deliveries();
        signed(batch(101, "contact.creation")).when().post("/webhooks/hubspot").then()
                .statusCode(413).contentType("application/problem+json");
        String padded = "[" + event(1, "contact.creation", 1, 1L).replace("\"CRM_UI\"",
                "\"" + "x".repeat(1_100_000) + "\"") + "]";
        signed(padded).when().post("/webhooks/hubspot").then().statusCode(413);
        // too many events is the answer even when one of them is also malformed
        signed("[{\"eventId\":1}," + batch(100, "contact.creation").substring(1)).when().post("/webhooks/hubspot")
                .then().statusCode(413);
        assertEquals(before, deliveries());
    }
}
