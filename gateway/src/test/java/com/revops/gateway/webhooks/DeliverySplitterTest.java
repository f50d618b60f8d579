package com.revops.gateway.webhooks;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.wakeup.WakeUps;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The split of stored HubSpot deliveries into their events, after the 2xx: deliveries are written here the way the
 * request path writes them (one row, unsplit), as if the gateway had stopped right after storing them, and the
 * splitter of the running application (woken by its poll) or extra splitters started by the test split them.
 */
@QuarkusTest
class DeliverySplitterTest {

    static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    Pool pool;

    @Inject
    DeliverySplitter splitter;

    @Inject
    WakeUps wakeUps;

    @Inject
    GatewayConfig config;

    @Inject
    ObjectMapper mapper;

    static final long PORTAL = ThreadLocalRandom.current().nextLong(1_000_000, 9_000_000);

    static String event(long eventId, String type) {
        return """
                {"eventId":%d,"subscriptionId":88,"portalId":%d,"appId":99,"occurredAt":1764000000000,
                 "subscriptionType":"%s","attemptNumber":0,"objectId":%d}""".formatted(eventId, PORTAL, type,
                eventId % 100_000);
    }

    static long base() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE / 2);
    }

    static String body(long base, int n, String type) {
        List<String> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            events.add(event(base + i, type));
        }
        return "[" + String.join(",", events) + "]";
    }

    /** Writes a delivery exactly as the request path does, unsplit; returns its id. */
    UUID storeUnsplit(String body, int events) {
        UUID id = WebhookStore.timeOrderedId();
        pool.preparedQuery("INSERT INTO webhook_delivery (id, crm, received_at, headers, body, event_count) "
                + "VALUES ($1, 'hubspot', $2, '{}'::jsonb, $3, $4)")
                .execute(Tuple.of(id, OffsetDateTime.now(ZoneOffset.UTC), body, events))
                .await().atMost(WAIT);
        return id;
    }

    /** The delivery once split: stored, duplicates, ignored, split_error. */
    Row awaitSplit(UUID id) {
        Row[] row = new Row[1];
        await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> {
            row[0] = pool.preparedQuery("SELECT stored, duplicates, ignored, split_error FROM webhook_delivery "
                    + "WHERE id = $1 AND split_at IS NOT NULL").execute(Tuple.of(id))
                    .map(rows -> rows.iterator().hasNext() ? rows.iterator().next() : null).await().atMost(WAIT);
            return row[0] != null;
        });
        return row[0];
    }

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).map(r -> r.iterator().next().getLong(0))
                .await().atMost(WAIT);
    }

    void assertSplit(Row r, int stored, int duplicates, int ignored) {
        assertNull(r.getString("split_error"));
        assertEquals(stored, r.getInteger("stored"), "stored");
        assertEquals(duplicates, r.getInteger("duplicates"), "duplicates");
        assertEquals(ignored, r.getInteger("ignored"), "ignored");
    }

    @Test
    void theSplitHasItsOwnHealthGroupOutsideReadiness() {
        io.restassured.RestAssured.given().get("/q/health/group/webhooks").then().statusCode(200)
                .body("checks[0].name", org.hamcrest.Matchers.equalTo("webhook-split"))
                .body("checks[0].status", org.hamcrest.Matchers.equalTo("UP"));
        io.restassured.RestAssured.given().get("/q/health/ready").then()
                .body("checks.name", org.hamcrest.Matchers.not(org.hamcrest.Matchers.hasItem("webhook-split")));
    }

    @Test
    void aDeliveryLeftUnsplitByACrashIsSplitLater() {
        // stored, answered, then the gateway stopped before the split: nothing wakes the splitter but its poll
        UUID id = storeUnsplit(body(base(), 4, "contact.creation"), 4);
        assertSplit(awaitSplit(id), 4, 0, 0);
        // PENDING for the normaliser (which may have handled them already)
        assertEquals(4, count("SELECT count(*) FROM webhook_event WHERE delivery_id = $1 AND status <> 'IGNORED'"
                + " AND crm = 'hubspot' AND account_id = $2 AND object_type = 'contact'", id, Long.toString(PORTAL)));
    }

    @Test
    void twoSplittersNeverSplitTheSameDeliveryTwice() {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            ids.add(storeUnsplit(body(base(), 5, "contact.propertyChange"), 5));
        }
        // a second replica's splitter, racing this one's (and the application's own, woken by its poll)
        DeliverySplitter other = new DeliverySplitter(pool, wakeUps, config, mapper, new SimpleMeterRegistry());
        List<DeliverySplitter.Round> rounds = Uni.join().all(List.of(splitter.drain(), other.drain(),
                other.drain())).andCollectFailures().await().atMost(WAIT);
        assertNotNull(rounds);
        for (UUID id : ids) {
            // split twice, the second split would have found all five events stored already: 0 stored, 5 duplicates
            assertSplit(awaitSplit(id), 5, 0, 0);
            assertEquals(5, count("SELECT count(*) FROM webhook_event WHERE delivery_id = $1", id));
        }
    }

    @Test
    void anEventAnEarlierDeliveryCarriedIsCountedAsADuplicate() throws Exception {
        long base = base();
        UUID first = storeUnsplit("[" + event(base, "contact.creation") + "," + event(base + 1, "contact.creation")
                + "]", 2);
        Thread.sleep(2); // time-ordered ids: the second delivery sorts after the first
        // HubSpot delivers event base+1 again, beside a new one (a retry of part of a batch)
        UUID second = storeUnsplit("[" + event(base + 1, "contact.creation") + "," + event(base + 2,
                "contact.creation") + "]", 2);
        // the application's splitter alone (one round at a time): the earlier delivery keeps the event. Splitters of
        // several replicas racing on the two could keep it in either; exactly one would.
        assertSplit(awaitSplit(first), 2, 0, 0);
        assertSplit(awaitSplit(second), 1, 1, 0);
        String key = PORTAL + ":88:" + (base + 1) + ":1764000000000";
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE dedupe_key = $1 AND delivery_id = $2",
                key, first));
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE dedupe_key = $1", key));
    }

    @Test
    void unknownSubscriptionTypesAreStoredAsIgnored() {
        long base = base();
        UUID id = storeUnsplit("[" + event(base, "ticket.creation") + "," + event(base + 1, "contact.creation")
                + "," + event(base + 2, "conversation.creation") + "]", 3);
        assertSplit(awaitSplit(id), 3, 0, 2);
        assertEquals(2, count("SELECT count(*) FROM webhook_event WHERE delivery_id = $1 AND status = 'IGNORED'",
                id));
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE delivery_id = $1 AND status <> 'IGNORED'"
                + " AND subscription_type = 'contact.creation'", id));
    }

    @Test
    void aDeliveryThatCannotBeSplitIsMarkedAndDoesNotHoldBackOthers() {
        UUID before = storeUnsplit(body(base(), 2, "contact.creation"), 2);
        // not valid JSON (it could not pass the request path; here it is in the table anyway)
        UUID broken = storeUnsplit("[{\"eventId\":", 1);
        // valid for the parser, refused by PostgreSQL's jsonb (\u0000): fails the batch's statement
        UUID unstorable = storeUnsplit("[" + event(base(), "contact.creation").replace("\"attemptNumber\":0",
                "\"attemptNumber\":0,\"propertyValue\":\"a\\u0000b\"") + "]", 1);
        UUID after = storeUnsplit(body(base(), 3, "contact.creation"), 3);
        splitter.drain().await().atMost(WAIT);
        assertSplit(awaitSplit(before), 2, 0, 0);
        assertSplit(awaitSplit(after), 3, 0, 0);
        Row b = awaitSplit(broken);
        assertTrue(b.getString("split_error").startsWith("parse:"), b.getString("split_error"));
        Row u = awaitSplit(unstorable);
        assertTrue(u.getString("split_error").startsWith("database:"), u.getString("split_error"));
        assertEquals(0, count("SELECT count(*) FROM webhook_event WHERE delivery_id = ANY($1)",
                (Object) new UUID[] {broken, unstorable}));
        // marked, so never taken again
        assertEquals(0, count("SELECT count(*) FROM webhook_delivery WHERE id = ANY($1) AND split_at IS NULL",
                (Object) new UUID[] {broken, unstorable}));
    }
}
