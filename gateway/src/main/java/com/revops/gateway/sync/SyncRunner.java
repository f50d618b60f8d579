package com.revops.gateway.sync;

import java.time.Duration;
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
import com.revops.gateway.crm.SalesforceClientProducer;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.gateway.crm.hubspot.HubSpotIncrementalReader;
import com.revops.gateway.crm.hubspot.HubSpotIncrementalReader.Cursor;
import com.revops.gateway.crm.hubspot.HubSpotModels.CrmObject;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter;
import com.revops.gateway.crm.salesforce.ApiUsage;
import com.revops.gateway.crm.salesforce.QueryPage;
import com.revops.gateway.crm.salesforce.SalesforceClient;
import com.revops.gateway.crm.salesforce.SalesforceQuotaExceededException;
import com.revops.gateway.normalise.FieldMapping;
import com.revops.gateway.normalise.TouchpointDeriver;
import com.revops.gateway.webhooks.IncomingEvent;
import com.revops.gateway.webhooks.WebhookStore;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Runs backfill and incremental sync jobs. A replica claims a due job with a lease, reads pages from the CRM and
 * stores each page as events for the normaliser ({@code sync.contact}, {@code sync.deal}, {@code sync.Lead},
 * {@code sync.Opportunity}..., carrying the record and its associations, so the normaliser needs no second read),
 * moving the job's cursor with every stored page. A lost replica's job is resumed from its cursor by another after the
 * lease; an exhausted HubSpot daily budget pauses the job until the next day, the Salesforce quota ceiling for
 * {@code gateway.sync.salesforce-quota-pause}.
 */
@ApplicationScoped
public class SyncRunner {

    private final Pool pool;
    private final HubSpotClient hubspot;
    private final WebhookStore store;
    private final GatewayConfig config;
    private final ObjectMapper mapper;
    private final FieldMapping hubspotMapping;
    private final FieldMapping salesforceMapping;
    private final SalesforceClientProducer.Connection salesforce;
    private final Duration salesforceQuotaPause;
    private final AtomicBoolean running = new AtomicBoolean();

    public SyncRunner(Pool pool, HubSpotClient hubspot, WebhookStore store, GatewayConfig config,
            ObjectMapper mapper, SalesforceClientProducer.Connection salesforce) {
        this.pool = pool;
        this.salesforce = salesforce;
        this.salesforceQuotaPause = config.sync().salesforceQuotaPause();
        this.salesforceMapping = config.mapping().of("salesforce");
        this.hubspot = hubspot;
        this.store = store;
        this.config = config;
        this.mapper = mapper;
        this.hubspotMapping = config.mapping().of("hubspot");
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
        if ("salesforce".equals(job.crm)) {
            return runSalesforce(job);
        }
        HubSpotSync.SyncObject object = HubSpotSync.object(job.objectType, syncProperties());
        if (!"hubspot".equals(job.crm) || object == null) {
            return fail(job, "sync of " + job.crm + "/" + job.objectType + " is not supported");
        }
        if (!config.hubspot().connected()) {
            return pause(job, "HubSpot is not connected (no API credentials)", 60);
        }
        long[] done = {job.done};
        Uni<Void> estimate = job.estimatedTotal != null ? Uni.createFrom().voidItem()
                : hubspot.searchModifiedAfter(object.name(), List.of(), job.since, job.until, null)
                        .invoke(page -> Log.infof("sync %s/%s %s: about %,d records to read", job.crm,
                                job.objectType, job.id, page.total()))
                        .chain(page -> pool.preparedQuery("UPDATE sync_job SET estimated_total = $2 WHERE id = $1")
                                .execute(Tuple.of(job.id, page.total())))
                        .replaceWithVoid();
        HubSpotIncrementalReader reader = new HubSpotIncrementalReader(hubspot);
        return estimate
                .chain(() -> pool.preparedQuery("SELECT estimated_total FROM sync_job WHERE id = $1")
                        .execute(Tuple.of(job.id)).map(rows -> rows.iterator().next().getLong(0)))
                .chain(total -> reader.read(object.name(), object.properties(),
                        new Cursor(job.since, job.cursorId, job.until), page -> associations(object, page.records())
                                .chain(associated -> {
                                    List<IncomingEvent> events = new ArrayList<>();
                                    for (CrmObject o : page.records()) {
                                        events.add(syncEvent(object, o, associated));
                                    }
                                    done[0] += events.size();
                                    return storePage(job, events, done[0], total, page.cursor().since(),
                                            page.cursor().sinceId());
                                })))
                .chain(outcome -> finish(job, done[0]))
                .onFailure(HubSpotRateLimiter.DailyBudgetExhausted.class)
                .recoverWithUni(e -> pause(job, e.getMessage(), secondsToMidnight()))
                .onFailure().recoverWithUni(e -> pause(job, String.valueOf(e.getMessage()), 60));
    }

    /** The associated ids of a page's records, per associated type ("contacts" -> record id -> ids). */
    private Uni<Map<String, Map<String, List<String>>>> associations(HubSpotSync.SyncObject object,
            List<CrmObject> records) {
        Map<String, Map<String, List<String>>> out = new LinkedHashMap<>();
        List<String> ids = records.stream().map(CrmObject::id).toList();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String to : object.associations()) {
            chain = chain.chain(() -> hubspot.associations(object.name(), to, ids).invoke(found -> out.put(to, found))
                    .replaceWithVoid());
        }
        return chain.replaceWith(out);
    }

    /** Stores a page as events for the normaliser and moves the cursor past it, then reports progress. */
    private Uni<Void> storePage(Job job, List<IncomingEvent> events, long done, Long total, Instant cursorSince,
            String cursorId) {
        SyncProgress progress = new SyncProgress(done, total, job.startedAt, Instant.now());
        Log.info("sync " + progress.describe(job.crm + "/" + job.objectType));
        Uni<Void> stored = events.isEmpty() ? Uni.createFrom().voidItem()
                : store.store(job.crm, "{\"source\":\"sync\",\"job\":\"" + job.id + "\"}",
                        "{\"syncJob\":\"" + job.id + "\",\"records\":" + events.size() + "}", events)
                        .replaceWithVoid();
        return stored.chain(() -> pool.preparedQuery("""
                UPDATE sync_job SET cursor_since = $2, cursor_id = $3, done = $4,
                       updated_at = now(), lease_until = now() + interval '5 minutes'
                 WHERE id = $1""")
                .execute(Tuple.of(job.id, utc(cursorSince), cursorId, done)))
                .replaceWithVoid();
    }

    private Uni<Void> finish(Job job, long done) {
        return pool.preparedQuery("""
                UPDATE sync_job SET status = 'DONE', finished_at = now(), lease_until = NULL, updated_at = now(),
                       last_error = NULL WHERE id = $1""").execute(Tuple.of(job.id))
                .invoke(() -> Log.infof("sync %s/%s %s done: %,d records", job.crm, job.objectType, job.id, done))
                .replaceWithVoid();
    }

    private IncomingEvent syncEvent(HubSpotSync.SyncObject object, CrmObject o,
            Map<String, Map<String, List<String>>> associated) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("objectId", o.id());
        payload.put("properties", o.properties());
        payload.put("updatedAt", o.updatedAt());
        payload.put("createdAt", o.createdAt());
        if (!object.associations().isEmpty()) {
            Map<String, List<String>> links = new LinkedHashMap<>();
            associated.forEach((to, byId) -> links.put(to, byId.getOrDefault(o.id(), List.of())));
            payload.put("associations", links);
        }
        String modified = o.property(object.modifiedProperty());
        return new IncomingEvent("hubspot", "sync:" + object.singular() + ":" + o.id() + ":" + modified, "sync",
                "sync." + object.singular(), object.singular(), o.id(), null, null, json(payload), true);
    }

    // ------------------------------------------------------------------------------------------------ Salesforce

    /**
     * A Salesforce run: one SOQL query from the cursor to the frozen upper bound, paged through
     * {@code nextRecordsUrl}; each page is stored (as {@code sync.<sObject>} events shaped like outbound messages)
     * before the next is read, and the cursor moves with it. At the quota ceiling the run pauses and, when due again,
     * asks Salesforce for the current usage before reading on. The OkHttp client blocks: calls run on the worker pool.
     */
    private Uni<Void> runSalesforce(Job job) {
        SalesforceSync.SyncObject object = SalesforceSync.object(job.objectType, salesforceMapping.crmFields());
        if (object == null) {
            return fail(job, "sync of salesforce/" + job.objectType + " is not supported");
        }
        if (!salesforce.connected()) {
            return pause(job, "Salesforce is not connected (no API credentials)", 60);
        }
        SalesforceClient client = salesforce.client();
        SalesforceSync.Cursor cursor = new SalesforceSync.Cursor(job.since, job.cursorId);
        long[] done = {job.done};
        Uni<Void> usage = blocking(() -> {
            ApiUsage last = client.apiUsage();
            if (last != null && last.share() >= client.quotaCeiling()) {
                // paused at the ceiling: the rolling 24 h window may have freed some of it since
                ApiUsage now = client.refreshApiUsage();
                Log.infof("sync %s/%s %s: API usage now %s", job.crm, job.objectType, job.id, now);
            }
            return null;
        }).replaceWithVoid();
        Uni<Long> total = job.estimatedTotal != null ? Uni.createFrom().item(job.estimatedTotal)
                : blocking(() -> client.queryFirstPage(SalesforceSync.count(object, job.since, job.until)).totalSize())
                        .call(n -> pool.preparedQuery("UPDATE sync_job SET estimated_total = $2 WHERE id = $1")
                                .execute(Tuple.of(job.id, n)))
                        .invoke(n -> Log.infof("sync %s/%s %s: about %,d records to read", job.crm, job.objectType,
                                job.id, n));
        return usage.chain(() -> total)
                .chain(n -> blocking(() -> client.queryFirstPage(SalesforceSync.query(object, job.since, job.until)))
                        .chain(first -> salesforcePages(job, object, client, cursor, first, done, n)))
                .chain(() -> salesforceDeletions(job, object, client))
                .chain(() -> finish(job, done[0]))
                .onFailure(SalesforceQuotaExceededException.class)
                .recoverWithUni(e -> pause(job, e.getMessage(), salesforceQuotaPause.toSeconds()))
                .onFailure().recoverWithUni(e -> pause(job, String.valueOf(e.getMessage()), 60));
    }

    private Uni<Void> salesforcePages(Job job, SalesforceSync.SyncObject object, SalesforceClient client,
            SalesforceSync.Cursor cursor, QueryPage page, long[] done, Long total) {
        List<IncomingEvent> events = new ArrayList<>();
        for (Map<String, Object> record : cursor.fresh(page.records())) {
            events.add(salesforceEvent(object, record));
        }
        done[0] += events.size();
        Uni<Void> stored = cursor.since() == null ? Uni.createFrom().voidItem()
                : storePage(job, events, done[0], total, cursor.since(), cursor.id());
        if (page.done()) {
            return stored;
        }
        return stored.chain(() -> blocking(() -> client.queryNextPage(page.nextRecordsUrl())))
                .chain(next -> salesforcePages(job, object, client, cursor, next, done, total));
    }

    /**
     * The run's deletions: records of the window that were deleted ({@code /sobjects/{type}/deleted}, which a SOQL
     * query without {@code queryAll} never returns), stored as {@code sync.<sObject>.deletion} events, one per record
     * (deduplicated on the id: a record is deleted once). Salesforce keeps deletions for about 30 days, so an older
     * lower bound (a full backfill) reads the last 29 days; what was deleted before was never announced as existing by
     * this run either.
     */
    private Uni<Void> salesforceDeletions(Job job, SalesforceSync.SyncObject object, SalesforceClient client) {
        if (!SalesforceSync.DELETIONS_READ.contains(object.sobject())) {
            return Uni.createFrom().voidItem();
        }
        Instant floor = Instant.now().minus(Duration.ofDays(29));
        Instant start = job.since.isBefore(floor) ? floor : job.since;
        return blocking(() -> client.deleted(object.sobject(), start, job.until))
                .chain(deleted -> {
                    List<IncomingEvent> events = new ArrayList<>();
                    for (SalesforceClient.DeletedRecord d : deleted) {
                        Map<String, Object> payload = new LinkedHashMap<>();
                        payload.put("source", "sync");
                        payload.put("sObjectType", object.sobject());
                        payload.put("deletedDate", d.deletedDate());
                        Instant at = SalesforceSync.instant(d.deletedDate());
                        events.add(new IncomingEvent("salesforce", "sync-deleted:" + object.sobject() + ":" + d.id(),
                                "sync", "sync." + object.sobject() + ".deletion", object.sobject(), d.id(), at, null,
                                json(payload), true));
                    }
                    if (events.isEmpty()) {
                        return Uni.createFrom().voidItem();
                    }
                    Log.infof("sync %s/%s %s: %d deleted records", job.crm, job.objectType, job.id, events.size());
                    return store.store(job.crm, "{\"source\":\"sync\",\"job\":\"" + job.id + "\"}",
                            "{\"syncJob\":\"" + job.id + "\",\"deleted\":" + events.size() + "}", events)
                            .replaceWithVoid();
                });
    }

    private IncomingEvent salesforceEvent(SalesforceSync.SyncObject object, Map<String, Object> record) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("source", "sync");
        payload.put("sObjectType", object.sobject());
        payload.put("fields", SalesforceSync.fields(record));
        String id = String.valueOf(record.get("Id"));
        return new IncomingEvent("salesforce", "sync:" + object.sobject() + ":" + id + ":"
                + record.get("SystemModstamp"), "sync", "sync." + object.sobject(), object.sobject(), id, null, null,
                json(payload), true);
    }

    private static <T> Uni<T> blocking(java.util.function.Supplier<T> call) {
        return Uni.createFrom().item(call).runSubscriptionOn(Infrastructure.getDefaultWorkerPool());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
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
