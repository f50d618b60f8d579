package com.revops.gateway.outbox;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.outbox.Outbox;
import com.revops.platform.outbox.OutboxRelay;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The publishing half of the backbone against the real PostgreSQL and RabbitMQ: an event exists on the broker if
 * and only if its transaction committed, exactly once, even with several relays racing and after a crash.
 */
@QuarkusTest
class OutboxRelayTest {

    static RabbitTestClient rabbit;
    static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Outbox outbox;

    @Inject
    OutboxRelay relay;

    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    /** A routing key of its own per test, so that each test listens to its own events only. */
    static String probeType() {
        return "probe.t" + UUID.randomUUID().toString().substring(0, 8);
    }

    EventEnvelope enqueueCommitted(String type, Map<String, Object> data) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> outbox.enqueue("crm.events", type, 1, "lead/42", data)));
    }

    @Test
    void committedEventIsPublishedOnceInItsEnvelope() throws Throwable {
        String type = probeType();
        String queue = rabbit.bindTemporaryQueue("crm.events", type);

        EventEnvelope sent = enqueueCommitted(type, Map.of("leadId", "42", "email", "ana@example.com"));

        List<Received> got = rabbit.await(queue, 1, Duration.ofSeconds(10));
        assertEquals(1, got.size());
        assertEquals(sent.id(), got.get(0).messageId(), "the AMQP message id is the event id");
        JsonNode envelope = JSON.readTree(got.get(0).body());
        assertEquals("1.0", envelope.get("specversion").asText());
        assertEquals(type, envelope.get("type").asText());
        assertEquals("/gateway", envelope.get("source").asText());
        assertEquals("lead/42", envelope.get("subject").asText());
        assertEquals("urn:revops:schema:" + type + ":1", envelope.get("dataschema").asText());
        assertEquals("ana@example.com", envelope.get("data").get("email").asText());
        // and never a second copy
        assertEquals(0, rabbit.await(queue, 1, Duration.ofMillis(1500)).size());
        await().atMost(Duration.ofSeconds(5)).until(() -> count(
                "SELECT count(*) FROM outbox_event WHERE id = $1 AND published_at IS NOT NULL",
                UUID.fromString(sent.id())) == 1);
    }

    @Test
    void rolledBackTransactionPublishesNothing() throws Throwable {
        String type = probeType();
        String queue = rabbit.bindTemporaryQueue("crm.events", type);
        String[] id = new String[1];
        try {
            VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                    () -> outbox.enqueue("crm.events", type, 1, "lead/1", Map.of("x", 1))
                            .invoke(e -> id[0] = e.id())
                            .chain(e -> Uni.createFrom().failure(new IllegalStateException("state change failed")))));
        } catch (IllegalStateException expected) {
            // the business transaction failed after writing the event
        }
        assertEquals(0, rabbit.await(queue, 1, Duration.ofSeconds(2)).size());
        assertEquals(0, count("SELECT count(*) FROM outbox_event WHERE id = $1", UUID.fromString(id[0])));
    }

    @Test
    void eventsCommittedByAProcessThatDiedBeforePublishingArePublishedLater() throws Exception {
        // rows as a crashed instance leaves them: committed, never published, no NOTIFY heard by anyone
        String type = probeType();
        String queue = rabbit.bindTemporaryQueue("crm.events", type);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id.toString());
            insertRaw(id, type, "now() - interval '10 minutes'");
        }
        List<Received> got = rabbit.await(queue, 3, Duration.ofSeconds(10));
        assertEquals(ids, Set.copyOf(got.stream().map(Received::messageId).toList()));
    }

    @Test
    void concurrentRelaysPublishEveryEventExactlyOnce() throws Exception {
        String type = probeType();
        String queue = rabbit.bindTemporaryQueue("crm.events", type);
        int n = 600;
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < n; i++) {
            UUID id = UUID.randomUUID();
            ids.add(id.toString());
            insertRaw(id, type, "now()");
        }
        // four extra relays race with the service's own, like four replicas would
        CountDownLatch done = new CountDownLatch(4);
        for (int i = 0; i < 4; i++) {
            relay.drain().subscribe().with(x -> done.countDown(), e -> done.countDown());
        }
        List<Received> got = rabbit.await(queue, n, Duration.ofSeconds(30));
        got.addAll(rabbit.await(queue, 1, Duration.ofSeconds(2)));
        Map<String, Integer> copies = new ConcurrentHashMap<>();
        got.forEach(r -> copies.merge(r.messageId(), 1, Integer::sum));
        assertEquals(ids, copies.keySet(), "every event arrived");
        assertTrue(copies.values().stream().allMatch(c -> c == 1), "no event arrived twice: " + copies.values());
    }

    private void insertRaw(UUID id, String type, String createdAt) {
        String envelope = """
                {"specversion":"1.0","id":"%s","type":"%s","source":"/gateway","subject":"lead/1",
                 "datacontenttype":"application/json","data":{"n":1}}""".formatted(id, type);
        pool.preparedQuery("INSERT INTO outbox_event (id, exchange, routing_key, event_type, subject, envelope,"
                + " created_at, next_attempt_at) VALUES ($1, 'crm.events', $2, $2, 'lead/1', $3::text::jsonb, "
                + createdAt + ", " + createdAt + ")")
                .execute(Tuple.of(id, type, envelope)).await().atMost(Duration.ofSeconds(5));
    }

    private long count(String sql, Object arg) {
        return pool.preparedQuery(sql).execute(Tuple.of(arg))
                .map(rows -> rows.iterator().next().getLong(0)).await().atMost(Duration.ofSeconds(5));
    }
}
