package com.revops.gateway.wakeup;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.revops.gateway.commands.CommandExecutor;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.normalise.Normaliser;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * LISTENs on the gateway's channels (one dedicated connection per replica, reconnected after a loss) and wakes the
 * normaliser or the command executor when another replica, or this one, committed work for them ({@link WakeUps}).
 */
@ApplicationScoped
public class WakeUpListener {

    private final Vertx vertx;
    private final Normaliser normaliser;
    private final CommandExecutor executor;
    private final boolean enabled;
    private final String reactiveUrl;
    private final String dbUser;
    private final String dbPassword;
    private PgSubscriber subscriber;

    public WakeUpListener(Vertx vertx, Normaliser normaliser, CommandExecutor executor, GatewayConfig config,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String dbUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword) {
        this.vertx = vertx;
        this.normaliser = normaliser;
        this.executor = executor;
        this.enabled = config.wakeUps().listenNotify();
        this.reactiveUrl = reactiveUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword.orElse("");
    }

    void onStart(@Observes StartupEvent event) {
        if (!enabled) {
            return;
        }
        String url = reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring("vertx-reactive:".length())
                : reactiveUrl;
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("postgres") ? url : "postgresql://" + url)
                .setUser(dbUser);
        if (!dbPassword.isEmpty()) {
            options.setPassword(dbPassword);
        }
        subscriber = PgSubscriber.subscriber(vertx, options);
        subscriber.reconnectPolicy(retries -> 1000L);
        subscriber.channel(WakeUps.WEBHOOK_EVENTS).handler(payload -> normaliser.wakeUp());
        subscriber.channel(WakeUps.COMMANDS).handler(payload -> executor.wakeUp());
        subscriber.connect().subscribe().with(
                ok -> Log.debug("listening for committed webhook events and commands"),
                e -> Log.warnf("LISTEN unavailable, the normaliser and the executor rely on polling: %s",
                        e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close().subscribe().with(x -> { }, x -> { });
        }
    }
}
