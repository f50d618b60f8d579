package com.revops.gateway.webhooks;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.wakeup.Coalescer;
import com.revops.gateway.wakeup.WakeUps;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;

/**
 * Splits stored HubSpot deliveries into their events, after the CRM got its 2xx: the request path stores one row
 * per delivery ({@link WebhookStore#storeHubSpotDelivery}), this writes the webhook_event rows the normaliser works from,
 * deduplicated (ON CONFLICT DO NOTHING on the deduplication key, as before) and with unknown subscription types marked
 * IGNORED, and records on each delivery how many of its events were stored, duplicates and ignored.
 *
 * <p>Safe with several replicas and crash-safe: a round claims up to {@code split-batch-size} unsplit deliveries with
 * {@code FOR UPDATE SKIP LOCKED} and, in the same transaction, inserts their events (one statement for all of them;
 * PostgreSQL parses each body once and takes each event's payload from it) and marks them split. A replica that dies
 * mid-round leaves its deliveries unsplit and unlocked for the next round; two rounds never take the same delivery.
 *
 * <p>A delivery that cannot be split (it passed the request path's validation, so this should not happen) is marked
 * split with its {@code split_error}: visible, never retried, and it never holds back the others. A transient failure
 * (database down, deadlock) leaves the round's deliveries unsplit for the next round.
 *
 * <p>Woken by {@link WebhookStore} right after each commit, with a poll as the safety net (e.g. for deliveries
 * another replica stored and could not split before it died).
 */
@ApplicationScoped
public class DeliverySplitter {

    private static final String CLAIM = """
            SELECT id, body FROM webhook_delivery
             WHERE split_at IS NULL AND crm = 'hubspot'
             ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED""";

    private static final String CLAIM_ONE = """
            SELECT id, body FROM webhook_delivery
             WHERE id = $1 AND split_at IS NULL FOR UPDATE SKIP LOCKED""";

    /**
     * The events of the claimed deliveries. Each body is parsed once by PostgreSQL (the materialised CTE), and each
     * event takes its payload from its element of the body, so payloads are neither re-serialised nor sent back.
     * Inserted in delivery order, so the earlier delivery keeps an event two of them carry (when one round splits
     * both; with two replicas splitting them at the same moment either may keep it, and exactly one does).
     */
    private static final String INSERT_EVENTS = """
            WITH element AS MATERIALIZED (
              SELECT d.id AS delivery_id, d.received_at, b.payload, b.i
                FROM webhook_delivery d,
                     jsonb_array_elements(d.body::jsonb) WITH ORDINALITY AS b(payload, i)
               WHERE d.id = ANY($12::uuid[])
            )
            INSERT INTO webhook_event (id, delivery_id, crm, dedupe_key, account_id, subscription_type, object_type,
                                       object_id, occurred_at, attempt_number, payload, status, received_at)
            SELECT e.id, e.delivery_id, 'hubspot', e.dedupe_key, e.account_id, e.subscription_type, e.object_type,
                   e.object_id, e.occurred_at, e.attempt_number, x.payload, e.status, x.received_at
              FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                          $8::timestamptz[], $9::int[], $10::text[], $11::int[])
                     WITH ORDINALITY AS e(id, delivery_id, dedupe_key, account_id, subscription_type, object_type,
                                          object_id, occurred_at, attempt_number, status, position, n)
              JOIN element x ON x.delivery_id = e.delivery_id AND x.i = e.position
             ORDER BY e.n
            ON CONFLICT (crm, dedupe_key) DO NOTHING
            RETURNING delivery_id, status""";

    private static final String MARK_SPLIT = """
            UPDATE webhook_delivery d
               SET split_at = now(), stored = u.stored, duplicates = coalesce(u.duplicates, d.duplicates),
                   ignored = u.ignored, split_error = u.error
              FROM unnest($1::uuid[], $2::int[], $3::int[], $4::int[], $5::text[])
                     AS u(id, stored, duplicates, ignored, error)
             WHERE d.id = u.id""";

    private static final String MARK_FAILED = """
            UPDATE webhook_delivery SET split_at = now(), split_error = $2 WHERE id = $1 AND split_at IS NULL""";

    private static final String BACKLOG = "SELECT count(*) FROM webhook_delivery WHERE split_at IS NULL";

    private final Pool pool;
    private final WakeUps wakeUps;
    private final HubSpotWebhookParser parser;
    private final int batchSize;
    private final Coalescer rounds = new Coalescer();
    private final AtomicLong backlog = new AtomicLong();
    /** When the split last moved (a round split something, or the backlog was empty or shrank): for the health. */
    private final AtomicLong lastProgressMillis = new AtomicLong(System.currentTimeMillis());
    private final java.util.concurrent.atomic.AtomicInteger consecutiveFailures =
            new java.util.concurrent.atomic.AtomicInteger();
    private final Counter split;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter failed;

    public DeliverySplitter(Pool pool, WakeUps wakeUps, GatewayConfig config, ObjectMapper mapper,
            MeterRegistry registry) {
        this.pool = pool;
        this.wakeUps = wakeUps;
        // the event limit was enforced at the door (413): a delivery stored is split whatever the limit is now
        this.parser = new HubSpotWebhookParser(mapper, Integer.MAX_VALUE);
        this.batchSize = config.webhooks().splitBatchSize();
        this.split = registry.counter("webhook.events.split", "crm", "hubspot");
        this.stored = registry.counter("webhook.events.stored", "crm", "hubspot");
        this.duplicates = registry.counter("webhook.events.duplicates", "crm", "hubspot");
        this.failed = registry.counter("webhook.deliveries.split_failed", "crm", "hubspot");
        registry.gauge("webhook.deliveries.unsplit", backlog);
    }

    /** What one round did. */
    public record Round(int deliveries, int events, int stored, int duplicates, int ignored, int failed) {
        static final Round NONE = new Round(0, 0, 0, 0, 0, 0);

        Round plus(Round o) {
            return new Round(deliveries + o.deliveries, events + o.events, stored + o.stored,
                    duplicates + o.duplicates, ignored + o.ignored, failed + o.failed);
        }
    }

    @Scheduled(every = "${gateway.webhooks.split-poll-interval:1s}", identity = "delivery-splitter",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> poll() {
        wakeUp();
        return pool.preparedQuery(BACKLOG).execute()
                .invoke(rows -> {
                    long now = rows.iterator().next().getLong(0);
                    long before = backlog.getAndSet(now);
                    if (now == 0 || now < before) {
                        lastProgressMillis.set(System.currentTimeMillis()); // also counts other replicas' splits
                    }
                })
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Unsplit deliveries, as of the last poll (the gauge {@code webhook.deliveries.unsplit}). */
    public long backlog() {
        return backlog.get();
    }

    /** What the health check reports. */
    public record Progress(long backlog, long lastProgressMillis, int consecutiveFailures) {
        /**
         * Stuck: deliveries wait and nothing has been split for {@code stuckAfterMillis}. A large backlog that
         * shrinks is not stuck (a burst being worked off).
         */
        public boolean stuck(long nowMillis, long stuckAfterMillis) {
            return backlog > 0 && nowMillis - lastProgressMillis > stuckAfterMillis;
        }
    }

    public Progress progress() {
        return new Progress(backlog.get(), lastProgressMillis.get(), consecutiveFailures.get());
    }

    /**
     * Splits what is waiting now, unless a drain is running: then that drain goes round once more when it ends. Called
     * after each committed delivery and by the poll; cheap when there is nothing to do.
     */
    public void wakeUp() {
        if (rounds.request()) {
            drainCoalesced();
        }
    }

    private void drainCoalesced() {
        drain().subscribe().with(r -> {
            if (rounds.finished()) {
                drainCoalesced();
            }
        }, e -> {
            consecutiveFailures.incrementAndGet();
            Log.warnf("webhook split round failed, the next poll retries: %s", e.getMessage());
            rounds.release(); // no hot loop against a failing database
        });
    }

    /** Rounds until no unsplit delivery is left (or only ones other replicas hold); answers what they did. */
    public Uni<Round> drain() {
        return runOnce().chain(r -> r.deliveries() >= batchSize ? drain().map(r::plus) : Uni.createFrom().item(r));
    }

    /**
     * One round: up to {@code split-batch-size} deliveries in one transaction. If the batch fails on its data (which
     * one is at fault is unknown), each delivery is split alone, and one that still fails is marked with its error.
     */
    public Uni<Round> runOnce() {
        return pool.withTransaction(c -> c.preparedQuery(CLAIM).execute(Tuple.of(batchSize))
                .chain(rows -> splitClaimed(c, rows)))
                .onFailure(DeliverySplitter::isDataError).recoverWithUni(e -> {
                    Log.warnf("webhook split batch failed on its data, splitting one by one: %s", e.getMessage());
                    return oneByOne();
                })
                .invoke(this::count);
    }

    private Uni<Round> oneByOne() {
        return pool.preparedQuery(
                "SELECT id FROM webhook_delivery WHERE split_at IS NULL AND crm = 'hubspot' ORDER BY id LIMIT $1")
                .execute(Tuple.of(batchSize))
                .chain(rows -> {
                    Uni<Round> total = Uni.createFrom().item(Round.NONE);
                    for (Row r : rows) {
                        UUID id = r.getUUID("id");
                        total = total.chain(sum -> splitOne(id).map(sum::plus));
                    }
                    return total;
                });
    }

    private Uni<Round> splitOne(UUID id) {
        return pool.withTransaction(c -> c.preparedQuery(CLAIM_ONE).execute(Tuple.of(id))
                .chain(rows -> splitClaimed(c, rows)))
                .onFailure(DeliverySplitter::isDataError).recoverWithUni(e -> {
                    Log.errorf("webhook delivery %s cannot be split, marked with its error: %s", id, e.getMessage());
                    return pool.preparedQuery(MARK_FAILED).execute(Tuple.of(id, "database: " + e.getMessage()))
                            .map(done -> done.rowCount() == 0 ? Round.NONE : new Round(1, 0, 0, 0, 0, 1));
                });
    }

    /** A failure caused by what was being written (SQLSTATE classes 22 and 23), not by the database's state. */
    static boolean isDataError(Throwable e) {
        return e instanceof PgException p && p.getSqlState() != null
                && (p.getSqlState().startsWith("22") || p.getSqlState().startsWith("23"));
    }

    /** One claimed delivery, parsed. */
    private record Parsed(UUID id, List<IncomingEvent> events, String error) {
    }

    private Uni<Round> splitClaimed(SqlConnection c, io.vertx.mutiny.sqlclient.RowSet<Row> rows) {
        List<Parsed> parsed = new ArrayList<>(rows.size());
        for (Row r : rows) {
            UUID id = r.getUUID("id");
            try {
                parsed.add(new Parsed(id, parser.parse(r.getString("body").getBytes(StandardCharsets.UTF_8)), null));
            } catch (HubSpotWebhookParser.Rejected e) {
                Log.errorf("webhook delivery %s cannot be split, marked with its error: %s", id, e.getMessage());
                parsed.add(new Parsed(id, List.of(), "parse: " + e.getMessage()));
            }
        }
        if (parsed.isEmpty()) {
            return Uni.createFrom().item(Round.NONE);
        }
        int n = parsed.stream().mapToInt(p -> p.events().size()).sum();
        Uni<Map<UUID, int[]>> inserted = n == 0 ? Uni.createFrom().item(Map.of())
                : c.preparedQuery(INSERT_EVENTS).execute(eventsTuple(parsed, n)).map(result -> {
                    Map<UUID, int[]> perDelivery = new HashMap<>(); // delivery -> {stored, ignored}
                    for (Row r : result) {
                        int[] counts = perDelivery.computeIfAbsent(r.getUUID(0), k -> new int[2]);
                        counts[0]++;
                        if ("IGNORED".equals(r.getString(1))) {
                            counts[1]++;
                        }
                    }
                    return perDelivery;
                });
        return inserted.chain(perDelivery -> {
            int k = parsed.size();
            UUID[] ids = new UUID[k];
            Integer[] storedCounts = new Integer[k];
            Integer[] duplicateCounts = new Integer[k];
            Integer[] ignoredCounts = new Integer[k];
            String[] errors = new String[k];
            int storedSum = 0;
            int ignoredSum = 0;
            int failures = 0;
            for (int i = 0; i < k; i++) {
                Parsed p = parsed.get(i);
                int[] counts = perDelivery.getOrDefault(p.id(), new int[2]);
                ids[i] = p.id();
                errors[i] = p.error();
                if (p.error() == null) {
                    storedCounts[i] = counts[0];
                    duplicateCounts[i] = p.events().size() - counts[0];
                    ignoredCounts[i] = counts[1];
                    storedSum += counts[0];
                    ignoredSum += counts[1];
                } else {
                    failures++;
                }
            }
            Round round = new Round(k, n, storedSum, n - storedSum, ignoredSum, failures);
            return c.preparedQuery(MARK_SPLIT)
                    .execute(Tuple.of(ids, storedCounts, duplicateCounts, ignoredCounts, errors))
                    .replaceWith(round);
        });
    }

    /** The events' columns as arrays, in delivery order, and the ids of the deliveries they come from. */
    private static Tuple eventsTuple(List<Parsed> parsed, int n) {
        EventColumns rows = new EventColumns(n);
        Integer[] positions = new Integer[n];
        List<UUID> withEvents = new ArrayList<>(parsed.size());
        for (Parsed p : parsed) {
            if (!p.events().isEmpty()) {
                withEvents.add(p.id()); // only these bodies are parsed by PostgreSQL (one that failed ours is not)
            }
            int position = 0;
            for (IncomingEvent e : p.events()) {
                // the event's element of the body (the parser keeps the body's order)
                positions[rows.add(p.id(), e)] = ++position;
            }
        }
        return Tuple.from(new Object[] {rows.ids, rows.deliveries, rows.keys, rows.accounts, rows.types,
            rows.objectTypes, rows.objectIds, rows.occurred, rows.attempts, rows.statuses, positions,
            withEvents.toArray(UUID[]::new)});
    }

    private void count(Round r) {
        consecutiveFailures.set(0);
        if (r.deliveries() > 0) {
            lastProgressMillis.set(System.currentTimeMillis());
        }
        if (r.events() > 0) {
            split.increment(r.events());
            stored.increment(r.stored());
            duplicates.increment(r.duplicates());
        }
        if (r.failed() > 0) {
            failed.increment(r.failed());
        }
        if (r.stored() > r.ignored()) {
            wakeUps.signal(WakeUps.WEBHOOK_EVENTS); // committed: the normalisers may start now
        }
    }
}
