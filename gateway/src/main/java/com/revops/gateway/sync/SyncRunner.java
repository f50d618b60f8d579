package com.revops.gateway.sync;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.gateway.crm.hubspot.HubSpotIncrementalReader;
import com.revops.gateway.crm.hubspot.HubSpotIncrementalReader.Cursor;
import com.revops.gateway.crm.hubspot.HubSpotModels.CrmObject;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter;
import com.revops.gateway.normalise.FieldMapping;
import com.revops.gateway.normalise.TouchpointDeriver;
import com.revops.gateway.webhooks.IncomingEvent;
import com.revops.gateway.webhooks.WebhookStore;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs backfill and incremental sync jobs. A replica claims a due job with a lease, reads pages from the CRM and
 * stores each page as events for the normaliser (type {@code sync.contact}, carrying the record, so the normaliser
 * needs no second read), moving the job's cursor with every stored page. A lost replica's job is resumed from its
 * cursor by another after the lease; an exhausted daily API budget pauses the job until the next day.
 */
@ApplicationScoped
public class SyncRunner {

    private final Pool pool;
    private final HubSpotClient hubspot;
    private final WebhookStore store;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final FieldMapping hubspotMapping;
    private final AtomicBoolean running = new AtomicBoolean();

    public SyncRunner(Pool pool, HubSpotClient hubspot, WebhookStore store, GatewayConfig config,
            ObjectMapper mapper) {
        this.pool = pool;
        this.hubspot = hubspot;
        this.store = store;
        this.config = config;
        this.mapper = mapper;
        this.hubspotMapping = FieldMapping.hubspot(FieldMapping.parseOverrides(config.mapping().hubspot()));
    }

    @Scheduled(every = "${gateway.sync.poll-interval:2s}", identity = "sync-runner",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        runDue().subscribe().with(x -> running.set(false), e -> {
            Log.warnf("sync round failed: %s", e.getMessage());
            running.set(false);
        });
    }

    /** Claims one due job and runs it to its end (or its pause). */
    public Uni<Void> runDue() {
        return pool.preparedQuery("""
                UPDATE sync_job SET lease_until = now() + interval '5 minutes', status = 'RUNNING', updated_at = now()
                 WHERE id = (SELECT id FROM sync_job
                              WHERE status IN ('RUNNING', 'PAUSED') AND resume_at <= now()
                                AND (lease_until IS NULL OR lease_until < now())
                              ORDER BY started_at LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING id, crm, object_type, cursor_since, cursor_id, until, done, started_at, estimated_total""")
                .execute()
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().voidItem();
                    }
                    Row r = rows.iterator().next();
                    Job job = new Job(r.getUUID("id"), r.getString("crm"), r.getString("object_type"),
                            r.getOffsetDateTime("cursor_since").toInstant(), r.getString("cursor_id"),
                            r.getOffsetDateTime("until").toInstant(), r.getLong("done"),
                            r.getOffsetDateTime("started_at").toInstant(), r.getLong("estimated_total"));
                    return run(job);
                });
    }

    private Uni<Void> run(Job job) {
        if (!"hubspot".equals(job.crm) || !"contacts".equals(job.objectType)) {
            return fail(job, "sync of " + job.crm + "/" + job.objectType + " is not supported yet");
        }
        if (!config.hubspot().connected()) {
            return pause(job, "HubSpot is not connected (no API credentials)", 60);
        }
        long[] done = {job.done};
        Uni<Void> estimate = job.estimatedTotal != null ? Uni.createFrom().voidItem()
                : hubspot.searchModifiedAfter("contacts", List.of(), job.since, job.until, null)
                        .invoke(page -> Log.infof("sync %s/%s %s: about %,d records to read", job.crm,
                                job.objectType, job.id, page.total()))
                        .chain(page -> pool.preparedQuery("UPDATE sync_job SET estimated_total = $2 WHERE id = $1")
                                .execute(Tuple.of(job.id, page.total())))
                        .replaceWithVoid();
        HubSpotIncrementalReader reader = new HubSpotIncrementalReader(hubspot);
        return estimate
                .chain(() -> pool.preparedQuery("SELECT estimated_total FROM sync_job WHERE id = $1")
                        .execute(Tuple.of(job.id)).map(rows -> rows.iterator().next().getLong(0)))
                .chain(total -> reader.read("contacts", syncProperties(),
                        new Cursor(job.since, job.cursorId, job.until), page -> {
                            List<IncomingEvent> events = new ArrayList<>();
                            for (CrmObject o : page.records()) {
                                events.add(syncEvent(o, page.cursor()));
                            }
                            done[0] += events.size();
                            SyncProgress progress = new SyncProgress(done[0], total, job.startedAt, Instant.now());
                            Log.info("sync " + progress.describe(job.crm + "/" + job.objectType));
                            return store.store("hubspot", "{\"source\":\"sync\",\"job\":\"" + job.id + "\"}",
                                    "{\"syncJob\":\"" + job.id + "\",\"records\":" + events.size() + "}", events)
                                    .chain(() -> pool.preparedQuery("""
                                            UPDATE sync_job SET cursor_since = $2, cursor_id = $3, done = $4,
                                                   updated_at = now(), lease_until = now() + interval '5 minutes'
                                             WHERE id = $1""")
                                            .execute(Tuple.of(job.id, utc(page.cursor().since()), page.cursor().sinceId(),
                                                    done[0])))
                                    .replaceWithVoid();
                        }))
                .chain(outcome -> pool.preparedQuery("""
                        UPDATE sync_job SET status = 'DONE', finished_at = now(), lease_until = NULL, updated_at = now()
                         WHERE id = $1""").execute(Tuple.of(job.id)))
                .invoke(() -> Log.infof("sync %s/%s %s done: %,d records", job.crm, job.objectType, job.id, done[0]))
                .replaceWithVoid()
                .onFailure(HubSpotRateLimiter.DailyBudgetExhausted.class)
                .recoverWithUni(e -> pause(job, e.getMessage(), secondsToMidnight()))
                .onFailure().recoverWithUni(e -> pause(job, String.valueOf(e.getMessage()), 60));
    }

    private IncomingEvent syncEvent(CrmObject o, Cursor cursor) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("objectId", o.id());
        payload.put("properties", o.properties());
        payload.put("updatedAt", o.updatedAt());
        payload.put("createdAt", o.createdAt());
        String modified = o.property("lastmodifieddate");
        String json;
        try {
            json = mapper.writeValueAsString(payload);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return new IncomingEvent("hubspot", "sync:contact:" + o.id() + ":" + modified, "sync", "sync.contact",
                "contact", o.id(), null, null, json, true);
    }

    private Uni<Void> pause(Job job, String why, long seconds) {
        Log.warnf("sync %s/%s %s paused for %d s: %s", job.crm, job.objectType, job.id, seconds, why);
        return pool.preparedQuery("""
                UPDATE sync_job SET status = 'PAUSED', last_error = $2, lease_until = NULL, updated_at = now(),
                       resume_at = now() + ($3 * interval '1 second') WHERE id = $1""")
                .execute(Tuple.of(job.id, why, seconds)).replaceWithVoid();
    }

    private Uni<Void> fail(Job job, String why) {
        return pool.preparedQuery("""
                UPDATE sync_job SET status = 'FAILED', last_error = $2, lease_until = NULL, finished_at = now(),
                       updated_at = now() WHERE id = $1""")
                .execute(Tuple.of(job.id, why)).replaceWithVoid();
    }

    private static long secondsToMidnight() {
        Instant now = Instant.now();
        Instant midnight = now.atZone(ZoneOffset.UTC).toLocalDate().plusDays(1).atStartOfDay(ZoneOffset.UTC)
                .toInstant();
        return Math.max(60, midnight.getEpochSecond() - now.getEpochSecond());
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }

    private record Job(UUID id, String crm, String objectType, Instant since, String cursorId, Instant until,
            long done, Instant startedAt, Long estimatedTotal) {
    }

    /** The mapped lead fields and the conversion properties, so a backfill also yields past form submissions. */
    private List<String> syncProperties() {
        List<String> props = new ArrayList<>(hubspotMapping.crmFields());
        TouchpointDeriver.HUBSPOT_CONVERSION_PROPERTIES.stream().filter(p -> !props.contains(p)).forEach(props::add);
        return props;
    }
}
