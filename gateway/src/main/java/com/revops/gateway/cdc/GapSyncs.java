package com.revops.gateway.cdc;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.gateway.sync.SalesforceSync;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Starts an incremental Salesforce sync run for changes Change Data Capture could not deliver: GAP events (the
 * change is known, its values are not), GAP_OVERFLOW, and a replay id Salesforce refused (events were missed). When a
 * run of the object is already active, nothing is started (the unique index on active runs decides).
 */
@ApplicationScoped
public class GapSyncs {

    /** CDC retention: without a better lower bound a gap run reads the last three days. */
    static final long RETENTION_SECONDS = 3 * 24 * 3600;

    private final Pool pool;

    public GapSyncs(Pool pool) {
        this.pool = pool;
    }

    /**
     * @param sobject the entity of the gap (Lead, Contact...)
     * @param since the earliest change to read; null means since the last finished run (or the retention window)
     */
    public Uni<Void> request(String sobject, Instant since, String why) {
        String object = null;
        for (Map.Entry<String, String> e : SalesforceSync.SOBJECTS.entrySet()) {
            if (e.getValue().equals(sobject)) {
                object = e.getKey();
            }
        }
        if (object == null) {
            Log.warnf("%s: %s is not synced, its gap cannot be filled", why, sobject);
            return Uni.createFrom().voidItem();
        }
        String name = object;
        Instant floor = Instant.now().minusSeconds(RETENTION_SECONDS);
        return pool.preparedQuery("""
                SELECT max(until) FROM sync_job WHERE crm = 'salesforce' AND object_type = $1 AND status = 'DONE'""")
                .execute(Tuple.of(name))
                .map(rows -> {
                    var last = rows.iterator().next().getOffsetDateTime(0);
                    Instant from = since != null ? since : last != null ? last.toInstant() : floor;
                    return from.isBefore(floor) && last == null ? floor : from;
                })
                .chain(from -> pool.preparedQuery("""
                        INSERT INTO sync_job (id, crm, object_type, mode, status, cursor_since, until)
                        VALUES ($1, 'salesforce', $2, 'incremental', 'RUNNING', $3, now())
                        ON CONFLICT DO NOTHING""")
                        .execute(Tuple.of(UUID.randomUUID(), name, from.atOffset(ZoneOffset.UTC)))
                        .invoke(rows -> Log.infof("%s: incremental sync of salesforce/%s from %s %s", why, name, from,
                                rows.rowCount() == 1 ? "started" : "not started (a run is active)")))
                .replaceWithVoid();
    }

    /** A gap on a whole channel: every entity it carries ({@code /data/LeadChangeEvent} -> Lead). */
    public Uni<Void> requestForTopic(String topic, Instant since, String why) {
        String channel = topic.substring(topic.lastIndexOf('/') + 1);
        if ("ChangeEvents".equals(channel)) {
            Uni<Void> all = Uni.createFrom().voidItem();
            for (String entity : ChangeEvent.HANDLED_ENTITIES) {
                all = all.chain(() -> request(entity, since, why));
            }
            return all;
        }
        String entity = channel.endsWith("ChangeEvent") ? channel.substring(0, channel.length() - 11)
                : channel.replaceFirst("__ChangeEvent$", "__c");
        return request(entity, since, why);
    }
}
