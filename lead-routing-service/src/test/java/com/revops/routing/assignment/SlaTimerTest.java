package com.revops.routing.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.routing.sla.SlaTimerPoller;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;

/** Durable deadlines: rows, not threads; claimed once whichever instance gets there first. */
@QuarkusTest
class SlaTimerTest {

    @org.junit.jupiter.api.BeforeAll
    static void purgeBacklog() throws Exception {
        // other modules' tests publish on the same test exchanges; that backlog is not ours to wait for
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            rabbit.purge("lead-routing-test.crm-events");
        }
    }

    @Inject
    SlaTimerPoller poller;

    @Inject
    Pool pool;

    long count(String sql, Object... args) {
        return pool.preparedQuery(sql).execute(Tuple.from(args)).await().atMost(Duration.ofSeconds(5)).iterator()
                .next().getLong(0);
    }

    @Test
    void aDeadlineWrittenBeforeARestartFiresWhenTheServiceIsBack() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 0);
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            UUID leadId = UUID.randomUUID();
            rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                    RoutingFixtures.leadCreated(leadId, s.channel(), Instant.now()));
            await().atMost(Duration.ofSeconds(15)).until(() -> count(
                    "SELECT count(*) FROM sla_timer WHERE lead_id = $1 AND state = 'PENDING'", leadId) == 2);
            // the process that wrote these timers is gone and the deadline passed meanwhile: the timers are rows,
            // and this instance's poller finds them due
            pool.preparedQuery("UPDATE sla_timer SET due_at = now() - interval '10 minutes' WHERE lead_id = $1")
                    .execute(Tuple.of(leadId)).await().atMost(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(15)).until(() -> count(
                    "SELECT count(*) FROM sla_breach WHERE lead_id = $1", leadId) == 1);
            assertThat(count("SELECT count(*) FROM lead WHERE id = $1 AND status = 'QUEUED' "
                    + "AND sla_state = 'ESCALATED'", leadId)).isEqualTo(1);
        }
    }

    @Test
    void twoInstancesNeverFireTheSameDeadlineTwice() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 0, 1000, null);
        List<UUID> leads = new ArrayList<>();
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            for (int i = 0; i < 40; i++) {
                UUID id = UUID.randomUUID();
                leads.add(id);
                rabbit.publish("crm.events", "lead.created", UUID.randomUUID().toString(),
                        RoutingFixtures.leadCreated(id, s.channel(), Instant.now()));
            }
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM sla_timer t JOIN lead l ON l.id = t.lead_id WHERE l.channel = $1",
                s.channel()) == 80);
        pool.preparedQuery("UPDATE sla_timer t SET due_at = now() - interval '1 second' FROM lead l "
                + "WHERE l.id = t.lead_id AND l.channel = $1").execute(Tuple.of(s.channel()))
                .await().atMost(Duration.ofSeconds(5));
        // two more "instances" race the scheduled poller for the same 80 due timers
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Future<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            rounds.add(threads.submit(() -> {
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> poller.fireDue(1000));
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }));
        }
        for (Future<Integer> f : rounds) {
            f.get();
        }
        threads.shutdown();
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "SELECT count(*) FROM sla_timer t JOIN lead l ON l.id = t.lead_id WHERE l.channel = $1 "
                        + "AND t.state = 'PENDING'", s.channel()) == 0);
        assertThat(count("SELECT count(*) FROM sla_breach b JOIN lead l ON l.id = b.lead_id WHERE l.channel = $1",
                s.channel())).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.sla-breached' AND subject IN "
                + "(SELECT 'lead/' || id FROM lead WHERE channel = $1)", s.channel())).isEqualTo(40);
        assertThat(count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.sla-warning' AND subject IN "
                + "(SELECT 'lead/' || id FROM lead WHERE channel = $1)", s.channel()))
                .as("warnings that came due with their deadline are moot once the deadline fired first, but never "
                        + "doubled").isLessThanOrEqualTo(40);
    }
}
