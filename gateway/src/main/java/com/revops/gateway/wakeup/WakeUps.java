package com.revops.gateway.wakeup;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.revops.gateway.config.GatewayConfig;

import io.quarkus.logging.Log;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells every replica that new work was committed, with PostgreSQL NOTIFY, so the normaliser and the command
 * executor start a round at once instead of on their next poll ({@link WakeUpListener} receives it).
 *
 * <p>The NOTIFY is sent after the rows committed, as its own statement, and coalesced per channel: one in flight, and
 * one more after it for any number of signals meanwhile. A NOTIFY inside every storing transaction would serialise
 * the commits of the webhook path on PostgreSQL's notification queue lock (measured: it capped ingest, see the
 * README's benchmark history). A lost NOTIFY costs latency only: the polls stay as the safety net.
 */
@ApplicationScoped
public class WakeUps {

    /** Webhook (and sync) events were stored: the normaliser has work. */
    public static final String WEBHOOK_EVENTS = "gateway_webhook_event";
    /** Commands were recorded or replayed: the command executor has work. */
    public static final String COMMANDS = "gateway_crm_command";

    private final Pool pool;
    private final boolean enabled;
    private final Map<String, Coalescer> inFlight = new ConcurrentHashMap<>();

    public WakeUps(Pool pool, GatewayConfig config) {
        this.pool = pool;
        this.enabled = config.wakeUps().listenNotify();
    }

    /** Announces committed work on {@code channel}; returns at once (the NOTIFY is sent in the background). */
    public void signal(String channel) {
        if (!enabled) {
            return;
        }
        Coalescer c = inFlight.computeIfAbsent(channel, k -> new Coalescer());
        if (c.request()) {
            send(channel, c);
        }
    }

    private void send(String channel, Coalescer c) {
        pool.preparedQuery("SELECT pg_notify($1, '')").execute(Tuple.of(channel)).subscribe().with(
                ok -> {
                    if (c.finished()) {
                        send(channel, c);
                    }
                },
                e -> {
                    Log.debugf("NOTIFY %s failed, the poll will find the work: %s", channel, e.getMessage());
                    c.release(); // no retry loop against a failing database
                });
    }
}
