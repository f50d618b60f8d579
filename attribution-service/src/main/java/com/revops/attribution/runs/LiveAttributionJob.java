package com.revops.attribution.runs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.revops.attribution.deals.DealLoader;
import com.revops.attribution.deals.LoadedDeal;
import com.revops.attribution.definitions.Definition;
import com.revops.attribution.definitions.DefinitionService;
import com.revops.attribution.models.AttributionEngine;
import com.revops.attribution.models.AttributionSettings;
import com.revops.attribution.models.DealAttribution;
import com.revops.attribution.models.ModelType;
import com.revops.attribution.models.TouchCredit;
import com.revops.platform.events.EventEnvelope;
import com.revops.platform.events.Exchanges;
import com.revops.platform.outbox.Outbox;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Incremental updates: every deal queued in {@code deal_dirty} (a deal event, a touch of one of its people or its
 * account, a lead event, a newly signed definition) gets its live credits recomputed under the active definition,
 * for every rule-based model, in one transaction that also claims it ({@code FOR UPDATE SKIP LOCKED}, safe with
 * several replicas) and, when write-back is on, enqueues a {@code record.fields.set} command for closed-won deals.
 */
@ApplicationScoped
public class LiveAttributionJob {

    public static final List<ModelType> LIVE_MODELS = List.of(ModelType.FIRST_TOUCH, ModelType.LAST_TOUCH,
            ModelType.LINEAR, ModelType.U_SHAPED, ModelType.W_SHAPED, ModelType.FULL_PATH, ModelType.TIME_DECAY,
            ModelType.CUSTOM);

    private final Pool pool;
    private final DealLoader loader;
    private final DefinitionService definitions;
    private final Outbox outbox;
    private final boolean writeBack;
    private final int batch;

    public LiveAttributionJob(Pool pool, DealLoader loader, DefinitionService definitions, Outbox outbox,
            @ConfigProperty(name = "attribution.write-back.enabled", defaultValue = "false") boolean writeBack,
            @ConfigProperty(name = "attribution.live.batch-size", defaultValue = "200") int batch) {
        this.pool = pool;
        this.loader = loader;
        this.definitions = definitions;
        this.outbox = outbox;
        this.writeBack = writeBack;
        this.batch = batch;
    }

    @Scheduled(every = "${attribution.live.interval:2s}", delayed = "2s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP, identity = "live-attribution")
    Uni<Void> tick() {
        return drain(25).onFailure().invoke(e -> Log.errorf(e, "live attribution batch failed"))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Up to {@code batches} full batches in a row, so a large backlog (a new definition) drains quickly. */
    Uni<Integer> drain(int batches) {
        return processBatch().chain(n -> n == batch && batches > 1 ? drain(batches - 1).map(m -> n + m)
                : Uni.createFrom().item(n));
    }

    /** Recomputes one batch of queued deals; the number of deals done. */
    public Uni<Integer> processBatch() {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                DELETE FROM deal_dirty WHERE deal_id IN (SELECT deal_id FROM deal_dirty ORDER BY marked_at
                                                         FOR UPDATE SKIP LOCKED LIMIT $1) RETURNING deal_id""")
                .execute(Tuple.of(batch))
                .chain(rows -> {
                    List<UUID> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getUUID("deal_id")));
                    if (ids.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return definitions.active(conn).chain(def -> loader.rates(conn, def.body().reportingCurrency())
                            .chain(rates -> loader.load(conn, ids, def.body(), Instant.now())
                                    // the models are CPU work: off the event loop
                                    .emitOn(io.smallrye.mutiny.infrastructure.Infrastructure.getDefaultWorkerPool())
                                    .chain(deals -> store(conn, ids, deals, def, def.body().settings(rates)))))
                            .replaceWith(ids.size());
                }));
    }

    private Uni<Void> store(SqlConnection conn, List<UUID> ids, List<LoadedDeal> deals, Definition def,
            AttributionSettings settings) {
        List<Tuple> rows = new ArrayList<>();
        List<EventEnvelope> commands = new ArrayList<>();
        for (LoadedDeal d : deals) {
            List<DealAttribution> results = AttributionEngine.attributeAll(LIVE_MODELS, d.input(), d.touches(),
                    settings, false);
            for (DealAttribution a : results) {
                int line = 0;
                for (TouchCredit t : a.touches()) {
                    if (t.amountMinor() > 0 || t.reportingMinor() > 0) {
                        rows.add(Tuple.from(new Object[] {d.id(), a.model().name(), line,
                                UUID.fromString(t.touch().id()), t.touch().channelKey(), t.touch().campaign(),
                                t.touch().source(), t.touch().team(), roles(t), t.amountMinor(), a.currency(),
                                t.reportingMinor() < 0 ? null : t.reportingMinor()}));
                    }
                    line++;
                }
                if (a.unattributedMinor() > 0 || a.touches().stream().noneMatch(t -> t.amountMinor() > 0)) {
                    rows.add(Tuple.from(new Object[] {d.id(), a.model().name(), line, null,
                            DealAttribution.UNATTRIBUTED, null, null, null, null, a.unattributedMinor(), a.currency(),
                            a.unattributedReportingMinor() < 0 ? null : a.unattributedReportingMinor()}));
                }
            }
            if (writeBack && d.input().won()) {
                commands.add(writeBackCommand(d, results, def));
            }
        }
        Uni<Void> insert = rows.isEmpty() ? Uni.createFrom().voidItem() : conn.preparedQuery("""
                INSERT INTO live_credit (deal_id, model, line, touchpoint_id, channel, campaign, source, team, roles,
                                         amount_minor, currency, reporting_minor)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)""").executeBatch(rows).replaceWithVoid();
        return conn.preparedQuery("DELETE FROM live_credit WHERE deal_id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new UUID[0])))
                .chain(() -> insert)
                .chain(() -> outbox.enqueueOn(conn, Exchanges.CRM_COMMANDS, commands));
    }

    /** {@code record.fields.set} on the CRM deal: sourced channel, top channel of the signed model, version. */
    private EventEnvelope writeBackCommand(LoadedDeal d, List<DealAttribution> results, Definition def) {
        ModelType model = def.body().modelType();
        Map<String, String> fields = new LinkedHashMap<>();
        for (DealAttribution a : results) {
            if (a.model() == ModelType.FIRST_TOUCH) {
                fields.put("revops_sourced_channel", top(a));
            }
            if (a.model() == model) {
                fields.put("revops_attributed_channel", top(a));
            }
        }
        fields.put("revops_attribution_model", model.name());
        fields.put("revops_definition_version", Integer.toString(def.version()));
        return outbox.envelope("record.fields.set", 1, "deal/" + d.id(), writeBackPayload(d.crm(), d.crmId(), fields));
    }

    /**
     * The command as the deal's CRM names things: a HubSpot deal with the custom properties' internal names
     * ({@code revops_sourced_channel}), or a Salesforce Opportunity with custom fields ({@code RevOps_Sourced_Channel__c}).
     */
    static Map<String, Object> writeBackPayload(String crm, String crmId, Map<String, String> fields) {
        boolean salesforce = "salesforce".equals(crm);
        Map<String, String> named = new LinkedHashMap<>();
        fields.forEach((k, v) -> named.put(salesforce ? salesforceField(k) : k, v));
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("crm", crm);
        payload.put("objectType", salesforce ? "Opportunity" : "deal");
        payload.put("objectId", crmId);
        payload.put("fields", named);
        return payload;
    }

    /** {@code revops_sourced_channel} -> {@code RevOps_Sourced_Channel__c}. */
    static String salesforceField(String property) {
        StringBuilder b = new StringBuilder();
        for (String part : property.split("_")) {
            if (!b.isEmpty()) {
                b.append('_');
            }
            b.append(part.equals("revops") ? "RevOps" : Character.toUpperCase(part.charAt(0)) + part.substring(1));
        }
        return b.append("__c").toString();
    }

    private static String top(DealAttribution a) {
        return a.byChannel().entrySet().stream().max(Map.Entry.<String, Long>comparingByValue()
                .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder())))
                .map(Map.Entry::getKey).orElse(DealAttribution.UNATTRIBUTED);
    }

    static String roles(TouchCredit t) {
        if (t.roles().isEmpty()) {
            return null;
        }
        StringBuilder b = new StringBuilder();
        t.roles().forEach(r -> b.append(b.length() == 0 ? "" : ",").append(r.name()));
        return b.toString();
    }
}
