package com.revops.routing.assignment;

import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * New assignments as they commit, on every replica: the routing transaction runs {@code pg_notify('lead_assigned',
 * ...)}, which PostgreSQL delivers to every listener only if and when it commits; each replica LISTENs and pushes
 * to its own server-sent-event subscribers. A replica that loses the connection reconnects every second.
 */
@ApplicationScoped
public class AssignmentFeed {

    /** One assignment. */
    public record Assignment(String username, UUID leadId, UUID teamId, String trigger) {
    }

    private final BroadcastProcessor<Assignment> processor = BroadcastProcessor.create();
    private final Vertx vertx;
    private final String reactiveUrl;
    private final String dbUser;
    private final Optional<String> dbPassword;
    private PgSubscriber subscriber;

    public AssignmentFeed(Vertx vertx,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String reactiveUrl,
            @ConfigProperty(name = "quarkus.datasource.username", defaultValue = "postgres") String dbUser,
            @ConfigProperty(name = "quarkus.datasource.password") Optional<String> dbPassword) {
        this.vertx = vertx;
        this.reactiveUrl = reactiveUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
    }

    void onStart(@Observes StartupEvent event) {
        String url = reactiveUrl.startsWith("vertx-reactive:") ? reactiveUrl.substring("vertx-reactive:".length())
                : reactiveUrl;
        PgConnectOptions options = PgConnectOptions.fromUri(url.startsWith("postgres") ? url : "postgresql://" + url)
                .setUser(dbUser);
        dbPassword.filter(p -> !p.isEmpty()).ifPresent(options::setPassword);
        subscriber = PgSubscriber.subscriber(vertx, options);
        subscriber.reconnectPolicy(retries -> 1000L);
        subscriber.channel("lead_assigned").handler(this::onNotify);
        subscriber.connect().subscribe().with(ok -> Log.debug("listening for assignments"),
                e -> Log.warnf("assignment stream unavailable: %s", e.getMessage()));
    }

    void onStop(@Observes ShutdownEvent event) {
        if (subscriber != null) {
            subscriber.close().subscribe().with(x -> { }, x -> { });
        }
        processor.onComplete();
    }

    void onNotify(String payload) {
        String[] p = payload.split(" ");
        if (p.length < 4) {
            return;
        }
        try {
            processor.onNext(new Assignment(p[0], UUID.fromString(p[1]), "-".equals(p[2]) ? null
                    : UUID.fromString(p[2]), p[3]));
        } catch (IllegalArgumentException e) {
            Log.warnf("malformed assignment notification ignored: %s", payload);
        }
    }

    public Multi<Assignment> stream() {
        return processor;
    }
}
