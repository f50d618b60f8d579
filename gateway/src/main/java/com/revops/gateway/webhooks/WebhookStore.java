package com.revops.gateway.webhooks;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.wakeup.WakeUps;

import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stores webhook deliveries durably before the CRM is answered, in one of two ways:
 * <ul>
 * <li>{@link #storeHubSpotDelivery}: HubSpot, the high-volume path. Only the delivery (raw body, kept headers, received
 * time, event count) is written, one row, grouped with other deliveries arriving at the same moment into one INSERT
 * ({@link GroupCommit}); {@link DeliverySplitter} writes its events afterwards. Storing a row per event before the
 * 2xx was two thirds of the ingest cost.</li>
 * <li>{@link #store}: Salesforce outbound messages, Change Data Capture and sync runs (low volume, or not answering
 * anyone): the delivery and its events in one statement, the delivery marked split at once.</li>
 * </ul>
 * Either way, duplicate events (same deduplication key) are not stored again; the delivery itself is always kept,
 * as received.
 */
@ApplicationScoped
public class WebhookStore {

    /** What a delivery stored together with its events amounted to. */
    public record Receipt(UUID deliveryId, int events, int stored, int duplicates, int ignored) {
    }

    /**
     * A delivery durably stored, its events not yet split: how many events it carried (all valid, none yet
     * deduplicated: {@link DeliverySplitter} records the stored and duplicate counts on the delivery).
     */
    public record Accepted(UUID deliveryId, int accepted) {
    }

    /** A delivery waiting for its group commit. */
    private record PendingDelivery(UUID id, OffsetDateTime receivedAt, String headersJson, String body,
            int eventCount) {
    }

    /**
     * Many HubSpot deliveries, one statement: one round trip and one commit for all of them, atomic. Only HubSpot's:
     * theirs are the bodies the splitter parses.
     */
    private static final String STORE_DELIVERIES = """
            INSERT INTO webhook_delivery (id, crm, received_at, headers, body, event_count)
            SELECT d.id, 'hubspot', d.received_at, d.headers, d.body, d.event_count
              FROM unnest($1::uuid[], $2::timestamptz[], $3::text[]::jsonb[], $4::text[], $5::int[])
                     AS d(id, received_at, headers, body, event_count)""";

    /**
     * One statement, so one round trip and atomic without an explicit transaction: the delivery row and its events
     * are stored together or not at all.
     */
    private static final String STORE = """
            WITH delivery AS (
              INSERT INTO webhook_delivery (id, crm, received_at, headers, body, event_count, split_at)
              VALUES ($14, $15, $16, $17::text::jsonb, $18, $19, $16)
              RETURNING id
            )
            INSERT INTO webhook_event (id, delivery_id, crm, dedupe_key, account_id, subscription_type, object_type,
                                       object_id, occurred_at, attempt_number, payload, status, received_at)
            SELECT e.* FROM delivery,
                   unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::text[], $9::timestamptz[], $10::int[], $11::text[]::jsonb[], $12::text[],
                          $13::timestamptz[]) AS e
            ON CONFLICT (crm, dedupe_key) DO NOTHING
            RETURNING status""";

    /**
     * The same, for deliveries whose body is the JSON array of the events ({@link IncomingEvent#payloadJson()} null):
     * each event's payload is element i of the body, which PostgreSQL parses once, so the events are neither
     * re-serialised by us nor sent twice.
     */
    private static final String STORE_FROM_BODY = """
            WITH delivery AS (
              INSERT INTO webhook_delivery (id, crm, received_at, headers, body, event_count, split_at)
              VALUES ($13, $14, $15, $16::text::jsonb, $17, $18, $15)
              RETURNING id
            )
            INSERT INTO webhook_event (id, delivery_id, crm, dedupe_key, account_id, subscription_type, object_type,
                                       object_id, occurred_at, attempt_number, payload, status, received_at)
            SELECT e.id, e.delivery_id, e.crm, e.dedupe_key, e.account_id, e.subscription_type, e.object_type,
                   e.object_id, e.occurred_at, e.attempt_number, b.payload, e.status, e.received_at
            FROM delivery,
                 unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                        $8::text[], $9::timestamptz[], $10::int[], $11::text[], $12::timestamptz[])
                   WITH ORDINALITY AS e(id, delivery_id, crm, dedupe_key, account_id, subscription_type, object_type,
                                        object_id, occurred_at, attempt_number, status, received_at, i)
                 JOIN jsonb_array_elements($17::jsonb) WITH ORDINALITY AS b(payload, i) ON b.i = e.i
            ON CONFLICT (crm, dedupe_key) DO NOTHING
            RETURNING status""";

    private final Pool pool;
    private final MeterRegistry registry;
    private final WakeUps wakeUps;
    private final DeliverySplitter splitter;
    private final GroupCommit<PendingDelivery> deliveries;

    public WebhookStore(Pool pool, MeterRegistry registry, WakeUps wakeUps, DeliverySplitter splitter,
            GatewayConfig config) {
        this.pool = pool;
        this.registry = registry;
        this.wakeUps = wakeUps;
        this.splitter = splitter;
        this.deliveries = new GroupCommit<>(config.webhooks().groupCommitMaxBatch(),
                config.webhooks().groupCommitMaxInFlight(), this::insertDeliveries);
        registry.gauge("webhook.deliveries.awaiting_commit", deliveries, GroupCommit::waiting);
    }

    /**
     * Stores a HubSpot delivery alone (its events are split later, by {@link DeliverySplitter}); completes once the
     * row is committed, and fails if it was not. {@code eventCount} is the number of events the caller validated in
     * {@code body} with {@link HubSpotWebhookParser}.
     */
    public Uni<Accepted> storeHubSpotDelivery(String headersJson, String body, int eventCount) {
        PendingDelivery delivery = new PendingDelivery(timeOrderedId(), OffsetDateTime.now(ZoneOffset.UTC),
                headersJson, body, eventCount);
        return Uni.createFrom().completionStage(() -> deliveries.submit(delivery))
                .map(ok -> new Accepted(delivery.id(), eventCount));
    }

    private CompletionStage<?> insertDeliveries(List<PendingDelivery> batch) {
        int n = batch.size();
        UUID[] ids = new UUID[n];
        OffsetDateTime[] received = new OffsetDateTime[n];
        String[] headers = new String[n];
        String[] bodies = new String[n];
        Integer[] counts = new Integer[n];
        for (int i = 0; i < n; i++) {
            PendingDelivery d = batch.get(i);
            ids[i] = d.id();
            received[i] = d.receivedAt();
            headers[i] = d.headersJson();
            bodies[i] = d.body();
            counts[i] = d.eventCount();
        }
        return pool.preparedQuery(STORE_DELIVERIES).execute(Tuple.of(ids, received, headers, bodies, counts))
                .invoke(() -> {
                    registry.counter("webhook.deliveries.stored", "crm", "hubspot").increment(n);
                    splitter.wakeUp(); // committed: the splitter may start now
                })
                .subscribeAsCompletionStage();
    }

    /**
     * A version 7 UUID (RFC 9562): 48 bits of epoch milliseconds, then 74 random bits. Ids made at about the same
     * time sort together, so the primary-key indexes take them at their right-hand edge instead of on random pages
     * (fewer pages touched and written per delivery). They are row ids, not secrets: ThreadLocalRandom, not the
     * SecureRandom of UUID.randomUUID(), which cost more per event.
     */
    static UUID timeOrderedId() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long msb = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long lsb = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** Per CRM: the stored and duplicates counters (looked up once, not per delivery). */
    private final java.util.concurrent.ConcurrentMap<String, io.micrometer.core.instrument.Counter[]> counters =
            new java.util.concurrent.ConcurrentHashMap<>();

    private io.micrometer.core.instrument.Counter[] counters(String crm) {
        return counters.computeIfAbsent(crm, c -> new io.micrometer.core.instrument.Counter[] {
            registry.counter("webhook.events.stored", "crm", c),
            registry.counter("webhook.events.duplicates", "crm", c)});
    }

    /**
     * Stores the delivery and its events in one statement (the delivery is marked split with it), then its counts.
     * Events whose {@link IncomingEvent#payloadJson()} is null take their payload from the body, which must then be
     * the JSON array of the events in the same order (HubSpot).
     */
    public Uni<Receipt> store(String crm, String headersJson, String body, List<IncomingEvent> events) {
        UUID deliveryId = timeOrderedId();
        Instant now = Instant.now();
        int n = events.size();
        long fromBody = events.stream().filter(e -> e.payloadJson() == null).count();
        if (fromBody != 0 && fromBody != n) {
            throw new IllegalArgumentException("either every event has its payload or none has");
        }
        boolean payloadsFromBody = n > 0 && fromBody == n;
        EventColumns c = new EventColumns(n);
        String[] crms = new String[n];
        String[] payloads = new String[n];
        java.time.OffsetDateTime[] received = new java.time.OffsetDateTime[n];
        java.time.OffsetDateTime receivedAt = now.atOffset(ZoneOffset.UTC);
        for (IncomingEvent e : events) {
            int i = c.add(deliveryId, e);
            crms[i] = e.crm();
            payloads[i] = e.payloadJson();
            received[i] = receivedAt;
        }
        Object[] params = payloadsFromBody
                ? new Object[] {c.ids, c.deliveries, crms, c.keys, c.accounts, c.types, c.objectTypes, c.objectIds,
                    c.occurred, c.attempts, c.statuses, received, deliveryId, crm, receivedAt, headersJson, body, n}
                : new Object[] {c.ids, c.deliveries, crms, c.keys, c.accounts, c.types, c.objectTypes, c.objectIds,
                    c.occurred, c.attempts, payloads, c.statuses, received, deliveryId, crm, receivedAt, headersJson,
                    body, n};
        return pool.preparedQuery(payloadsFromBody ? STORE_FROM_BODY : STORE).execute(Tuple.from(params))
                .chain(rows -> {
                    List<String> stored = new ArrayList<>();
                    rows.forEach(r -> stored.add(r.getString(0)));
                    int duplicates = n - stored.size();
                    int ignored = (int) stored.stream().filter("IGNORED"::equals).count();
                    Receipt receipt = new Receipt(deliveryId, n, stored.size(), duplicates, ignored);
                    return pool.preparedQuery(
                            "UPDATE webhook_delivery SET stored = $2, duplicates = $3, ignored = $4 WHERE id = $1")
                            .execute(Tuple.of(deliveryId, stored.size(), duplicates, ignored)).replaceWith(receipt);
                })
                .invoke(r -> {
                    counters(crm)[0].increment(r.stored());
                    counters(crm)[1].increment(r.duplicates());
                    if (r.stored() > r.ignored()) {
                        wakeUps.signal(WakeUps.WEBHOOK_EVENTS); // committed: the normalisers may start now
                    }
                });
    }
}
