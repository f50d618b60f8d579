package com.revops.routing.assignment;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Many decisions at once, each in its own transaction, as several consumers or replicas would make them. */
@QuarkusTest
class RoutingConcurrencyTest {

    @org.junit.jupiter.api.BeforeAll
    static void purgeBacklog() throws Exception {
        // other modules' tests publish on the same test exchanges; that backlog is not ours to wait for
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            rabbit.purge("lead-routing-test.crm-events");
        }
    }

    @Inject
    RoutingService routing;

    @Inject
    Pool pool;

    @Test
    void parallelDecisionsNeverExceedACapacityCap() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        // two reps with a cap of 3 open untouched leads each: 6 places for 24 leads decided at the same time
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1, 3, null);
        List<UUID> leads = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            UUID id = UUID.randomUUID();
            leads.add(id);
            pool.preparedQuery("INSERT INTO lead (id, crm, crm_id, email, channel, received_at, updated_at) "
                    + "VALUES ($1, 'hubspot', $2, $3, $4, now(), now())")
                    .execute(Tuple.of(id, "c-" + id, "p" + i + "@" + s.channel() + "-corp" + i + ".example", s.channel()))
                    .await().atMost(Duration.ofSeconds(5));
        }
        ExecutorService threads = Executors.newFixedThreadPool(12);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (UUID id : leads) {
            done.add(threads.submit(() -> {
                go.await();
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                            () -> RoutingService.lockLead(id).chain(routing::routeNew)));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }));
        }
        go.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        threads.shutdown();

        var rows = pool.preparedQuery("SELECT owner_username, status, count(*) FROM lead WHERE channel = $1 "
                + "GROUP BY 1, 2").execute(Tuple.of(s.channel())).await().atMost(Duration.ofSeconds(5));
        long assigned = 0;
        long queued = 0;
        for (Row r : rows) {
            if ("ASSIGNED".equals(r.getString(1))) {
                assertThat(r.getLong(2)).as("open leads of " + r.getString(0)).isLessThanOrEqualTo(3);
                assigned += r.getLong(2);
            } else if ("QUEUED".equals(r.getString(1))) {
                queued += r.getLong(2);
            }
        }
        assertThat(assigned).isEqualTo(6);
        assertThat(queued).isEqualTo(18);
        // and round robin stayed consistent: every assignment advanced a distinct turn
        long turns = pool.preparedQuery("SELECT sum(assigned_count) FROM team_member m JOIN team t ON t.id = m.team_id "
                + "WHERE t.name = $1").execute(Tuple.of(s.teamName())).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
        assertThat(turns).isEqualTo(6);
    }
}
