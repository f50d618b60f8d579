package com.revops.gateway.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Applies recorded commands to the CRMs. A command is claimed with a lease (several replicas share the work), applied
 * once, and its outcome recorded together with a {@code command.succeeded} or {@code command.failed} event in one
 * transaction. Transient CRM failures are retried with back-off; permanent ones, and commands that outlive their
 * attempts, become FAILED: the dead-letter store that {@link CommandAdminResource} lists and replays.
 *
 * <p>A command applied in the CRM whose outcome could not be recorded (a crash in between) is applied again after
 * the lease: every command is written idempotently (set a property to a value) except {@code task.create}, which
 * may then create a second task; that window is one lease long.
 */
@ApplicationScoped
public class CommandExecutor {

    private static final String CLAIM = """
            UPDATE crm_command SET lease_until = now() + interval '2 minutes', attempts = attempts + 1
             WHERE id IN (SELECT id FROM crm_command
                           WHERE status = 'RECEIVED' AND next_attempt_at <= now()
                             AND (lease_until IS NULL OR lease_until < now())
                           ORDER BY received_at, id LIMIT $1 FOR UPDATE SKIP LOCKED)
            RETURNING id, command_type, issued_by, subject, payload::text AS payload, attempts""";

    private final Pool pool;
    private final Instance<CrmWriter> writers;
    private final Outbox outbox;
    private final ObjectMapper mapper;
    private final MeterRegistry registry;
    private final int batchSize;
    private final int concurrency;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final com.revops.gateway.wakeup.Coalescer rounds = new com.revops.gateway.wakeup.Coalescer();

    /** Paces rounds over HubSpot's budget so that owner writes go in fuller batches under load. */
    private final com.revops.gateway.crm.hubspot.BudgetPacer pacer;
    private final com.revops.gateway.crm.hubspot.HubSpotClient hubspot;
    private final com.revops.gateway.config.GatewayConfig config;

    public CommandExecutor(Pool pool, Instance<CrmWriter> writers, Outbox outbox, ObjectMapper mapper,
            MeterRegistry registry, com.revops.gateway.crm.hubspot.HubSpotClient hubspot,
            com.revops.gateway.config.GatewayConfig config,
            @ConfigProperty(name = "gateway.commands.batch-size", defaultValue = "50") int batchSize,
            @ConfigProperty(name = "gateway.commands.concurrency", defaultValue = "8") int concurrency,
            @ConfigProperty(name = "gateway.commands.max-attempts", defaultValue = "10") int maxAttempts,
            @ConfigProperty(name = "gateway.commands.initial-backoff", defaultValue = "2s") Duration initialBackoff) {
        this.pool = pool;
        this.writers = writers;
        this.outbox = outbox;
        this.mapper = mapper;
        this.registry = registry;
        this.batchSize = batchSize;
        this.concurrency = concurrency;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.hubspot = hubspot;
        this.config = config;
        this.pacer = new com.revops.gateway.crm.hubspot.BudgetPacer(config.commands().hubspotShare());
    }

    @Scheduled(every = "${gateway.commands.poll-interval:1s}", identity = "command-executor",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        wakeUp();
    }

    /**
     * Runs rounds until the due commands are done, unless rounds are running: then they go round once more. Called by
     * the poll and by the LISTEN/NOTIFY wake-up of recorded commands.
     */
    public void wakeUp() {
        if (rounds.request()) {
            drainCoalesced();
        }
    }

    private void drainCoalesced() {
        drain().subscribe().with(n -> {
            if (rounds.finished()) {
                drainCoalesced();
            }
        }, e -> {
            Log.warnf("command round failed: %s", e.getMessage());
            rounds.release(); // the next poll tries again
        });
    }

    /** Rounds while they find full batches; answers how many commands were attempted. */
    public Uni<Integer> drain() {
        return runOnce().chain(n -> n >= batchSize ? drain().map(m -> n + m) : Uni.createFrom().item(n));
    }

    /**
     * One round; answers how many commands were attempted. With HubSpot connected the round first waits for its
     * turn on HubSpot's budget ({@code BudgetPacer}, {@code gateway.commands.hubspot-share} of it) and claims after
     * the wait, so the commands that arrived meanwhile join its batch updates.
     */
    public Uni<Integer> runOnce() {
        return (config.hubspot().connected() ? hubspot.awaitTurn(pacer) : Uni.createFrom().voidItem())
                .chain(this::claimAndExecute);
    }

    private Uni<Integer> claimAndExecute() {
        return pool.preparedQuery(CLAIM).execute(Tuple.of(batchSize)).chain(rows -> {
            List<Claimed> claimed = new java.util.ArrayList<>();
            for (Row r : rows) {
                claimed.add(new Claimed(r.getUUID("id"), r.getString("command_type"), r.getString("issued_by"),
                        r.getString("subject"), r.getString("payload"), r.getInteger("attempts")));
            }
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            hubspot.roundStarted(pacer); // an empty round spends no call, and so no turn
            return Multi.createFrom().iterable(plan(claimed))
                    .onItem().transformToUni(work -> work).merge(concurrency)
                    .collect().asList().map(done -> claimed.size());
        });
    }

    /**
     * The work of a round: HubSpot property commands ({@code owner.assign}, {@code lead.status.set},
     * {@code record.fields.set}) grouped per object type into batch updates of at most 100 records, everything else
     * one by one. Two commands for the same record in one batch are merged into one input in claim order (the later
     * command's value of a property wins), and both get the outcome of that input.
     */
    private List<Uni<Void>> plan(List<Claimed> claimed) {
        HubSpotWriter hubspot = writers.stream().filter(HubSpotWriter.class::isInstance).map(HubSpotWriter.class::cast)
                .findFirst().orElse(null);
        List<Uni<Void>> work = new ArrayList<>();
        Map<String, List<Pending>> byObjects = new LinkedHashMap<>();
        for (Claimed c : claimed) {
            if (hubspot == null || !HubSpotWriter.writesProperties(c.type)) {
                work.add(execute(c));
                continue;
            }
            CommandSpec spec;
            try {
                spec = mapper.readValue(c.payload, CommandSpec.class);
            } catch (Exception e) {
                work.add(execute(c)); // fails it with the parse error
                continue;
            }
            if (!"hubspot".equals(spec.crm())) {
                work.add(execute(c));
                continue;
            }
            try {
                String objectId = HubSpotWriter.require(spec.objectId(), "objectId").trim();
                Map<String, String> properties = hubspot.properties(c.type, spec);
                byObjects.computeIfAbsent(HubSpotWriter.objects(spec.objectType()), k -> new ArrayList<>())
                        .add(new Pending(c, spec, objectId, properties));
            } catch (CommandFailure e) {
                work.add(finish(c, spec, "FAILED", e.getMessage()));
            }
        }
        byObjects.forEach((objects, pending) -> {
            List<Pending> batch = new ArrayList<>();
            Set<String> records = new HashSet<>();
            for (Pending p : pending) {
                if (records.add(p.objectId) && records.size() > HubSpotClient.BATCH_LIMIT) {
                    work.add(executeBatch(hubspot, objects, batch));
                    batch = new ArrayList<>();
                    records = new HashSet<>(Set.of(p.objectId));
                }
                batch.add(p);
            }
            work.add(executeBatch(hubspot, objects, batch));
        });
        return work;
    }

    /** One batch update for the commands given; each command's outcome recorded on its own. */
    private Uni<Void> executeBatch(HubSpotWriter hubspot, String objects, List<Pending> batch) {
        Map<String, Map<String, String>> byRecord = new LinkedHashMap<>();
        for (Pending p : batch) {
            byRecord.computeIfAbsent(p.objectId, k -> new LinkedHashMap<>()).putAll(p.properties);
        }
        Uni<Void> ownWrites = Uni.createFrom().voidItem();
        for (Pending p : batch) {
            ownWrites = ownWrites.chain(() -> recordOwnWrite(p.claimed, p.spec));
        }
        // the recovery covers recording the own writes and the batch call, not the recording of outcomes
        return ownWrites.chain(() -> hubspot.updateBatch(objects, byRecord)).onItemOrFailure().transformToUni(
                (outcomes, e) -> e == null ? recordOutcomes(objects, batch, outcomes) : recoverBatch(batch, e));
    }

    private Uni<Void> recordOutcomes(String objects, List<Pending> batch, Map<String, String> errorsById) {
        return each(batch, p -> {
            String error = errorsById.get(p.objectId);
            if (error == null) {
                return finish(p.claimed, p.spec, "SUCCEEDED",
                        HubSpotWriter.describe(p.claimed.type, p.spec, objects, p.objectId));
            }
            if (HubSpotWriter.NOT_ANSWERED.equals(error) && p.claimed.attempts < maxAttempts) {
                return retryLater(p.claimed, new IllegalStateException(error));
            }
            return finish(p.claimed, p.spec, "FAILED", error);
        });
    }

    private Uni<Void> recoverBatch(List<Pending> batch, Throwable e) {
        if (e instanceof CommandFailure && batch.size() > 1) {
            // the whole batch refused (e.g. one invalid value): one by one, so that only the bad one fails
            return each(batch, p -> execute(p.claimed));
        }
        return each(batch, p -> e instanceof CommandFailure || p.claimed.attempts >= maxAttempts
                ? finish(p.claimed, p.spec, "FAILED", String.valueOf(e.getMessage()))
                : retryLater(p.claimed, e));
    }

    private Uni<Void> each(List<Pending> batch, java.util.function.Function<Pending, Uni<Void>> step) {
        return Multi.createFrom().iterable(batch).onItem().transformToUni(p -> step.apply(p)).merge(concurrency)
                .collect().asList().replaceWithVoid();
    }

    private Uni<Void> execute(Claimed c) {
        CommandSpec spec;
        try {
            spec = mapper.readValue(c.payload, CommandSpec.class);
        } catch (Exception e) {
            return finish(c, null, "FAILED", "payload is not a valid command: " + e.getMessage());
        }
        CrmWriter writer = writers.stream().filter(w -> w.crm().equals(spec.crm())).findFirst().orElse(null);
        if (writer == null) {
            return finish(c, spec, "FAILED", "no CRM named " + spec.crm() + " is connected");
        }
        Uni<String> applied = recordOwnWrite(c, spec).chain(() -> {
            try {
                return writer.apply(c.type, spec);
            } catch (CommandFailure e) {
                return Uni.createFrom().failure(e);
            }
        });
        return applied
                .chain(outcome -> finish(c, spec, "SUCCEEDED", outcome))
                .onFailure().recoverWithUni(e -> {
                    if (e instanceof CommandFailure || c.attempts >= maxAttempts) {
                        return finish(c, spec, "FAILED", String.valueOf(e.getMessage()));
                    }
                    return retryLater(c, e);
                });
    }

    /**
     * Records the Salesforce owner this command is about to write, before writing it: the outbound message or sync
     * record that echoes the write may be normalised before this command's outcome is stored, and must find it (see
     * {@code OwnerEcho}). Rows of the record older than a day are removed on the way.
     */
    private Uni<Void> recordOwnWrite(Claimed c, CommandSpec spec) {
        String owner = !"salesforce".equals(spec.crm()) ? null
                : "owner.assign".equals(c.type) ? spec.ownerId()
                : "record.fields.set".equals(c.type) && spec.fields() != null ? spec.fields().get("OwnerId") : null;
        if (owner == null || owner.isBlank() || spec.objectId() == null || spec.objectId().isBlank()) {
            return Uni.createFrom().voidItem();
        }
        String objectId = spec.objectId().trim();
        String id15 = objectId.length() == 18 ? objectId.substring(0, 15) : objectId;
        return pool.preparedQuery("""
                WITH old AS (DELETE FROM crm_own_write WHERE crm = 'salesforce' AND object_id = $1
                                AND written_at < now() - interval '1 day')
                INSERT INTO crm_own_write (crm, object_id, field, value, command_id)
                VALUES ('salesforce', $1, 'owner', $2, $3)""")
                .execute(Tuple.of(id15, owner.trim(), c.id)).replaceWithVoid();
    }

    private Uni<Void> finish(Claimed c, CommandSpec spec, String status, String outcome) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("commandId", c.id.toString());
        data.put("commandType", c.type);
        data.put("issuedBy", c.issuedBy);
        data.put("crm", spec == null ? null : spec.crm());
        data.put("objectId", spec == null ? null : spec.objectId());
        data.put("attempts", c.attempts);
        data.put(status.equals("SUCCEEDED") ? "outcome" : "error", outcome);
        EventEnvelope event = outbox.envelope(status.equals("SUCCEEDED") ? "command.succeeded" : "command.failed", 1,
                c.subject, data);
        registry.counter("commands.completed", "type", c.type, "status", status).increment();
        if (status.equals("FAILED")) {
            Log.warnf("command %s %s failed for good: %s", c.type, c.id, outcome);
        }
        return pool.withTransaction(conn -> conn.preparedQuery("""
                UPDATE crm_command SET status = $2, outcome = $3, completed_at = now(), lease_until = NULL,
                       last_error = CASE WHEN $2 = 'FAILED' THEN $3 ELSE last_error END
                 WHERE id = $1""")
                .execute(Tuple.of(c.id, status, truncate(outcome)))
                .chain(() -> outbox.enqueueOn(conn, Exchanges.CRM_EVENTS, List.of(event))));
    }

    private Uni<Void> retryLater(Claimed c, Throwable e) {
        long delay = Math.min(600_000L, initialBackoff.toMillis() * (1L << Math.min(c.attempts - 1, 18)));
        registry.counter("commands.retried", "type", c.type).increment();
        return pool.preparedQuery("""
                UPDATE crm_command SET lease_until = NULL, last_error = $2,
                       next_attempt_at = now() + ($3 * interval '1 millisecond') WHERE id = $1""")
                .execute(Tuple.of(c.id, truncate(String.valueOf(e.getMessage())), delay)).replaceWithVoid();
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 2000);
    }

    private record Pending(Claimed claimed, CommandSpec spec, String objectId, Map<String, String> properties) {
    }

    private record Claimed(UUID id, String type, String issuedBy, String subject, String payload, int attempts) {
    }
}
