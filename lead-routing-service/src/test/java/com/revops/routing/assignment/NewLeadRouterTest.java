package com.revops.routing.assignment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The new-lead router: leads stored as NEW are routed in batches, by any number of rounds at once (as several
 * replicas would run them), each lead exactly once, within the reps' capacity, with the effects of earlier decisions
 * of a batch visible to the later ones.
 */
@QuarkusTest
class NewLeadRouterTest {

    @BeforeAll
    static void purgeBacklog() throws Exception {
        try (RabbitTestClient rabbit = new RabbitTestClient()) {
            rabbit.purge("lead-routing-test.crm-events");
        }
    }

    @Inject
    NewLeadRouter router;

    @Inject
    Pool pool;

    @Test
    void parallelRoundsRouteEachNewLeadOnceAndNeverExceedACap() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        // two reps with a cap of 4 open untouched leads each: 8 places for 30 leads
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1, 4, null);
        pool.preparedQuery("""
                INSERT INTO lead (id, crm, crm_id, email, channel, received_at, updated_at)
                SELECT gen_random_uuid(), 'hubspot', 'nl-' || $1 || '-' || i, 'p' || i || '@' || $1 || '-corp' || i || '.example', $1,
                       now() + i * interval '1 millisecond', now()
                FROM generate_series(1, 30) i""").execute(Tuple.of(s.channel())).await().atMost(Duration.ofSeconds(5));

        // four rounds started together, besides the router's own wake-ups
        ExecutorService threads = Executors.newFixedThreadPool(4);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rounds.add(threads.submit(() -> {
                go.await();
                try {
                    return VertxContextSupport.subscribeAndAwait(() -> router.round());
                } catch (Throwable t) {
                    throw new IllegalStateException(t);
                }
            }));
        }
        go.countDown();
        for (Future<Integer> f : rounds) {
            f.get();
        }
        threads.shutdown();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM lead WHERE channel = $1 AND status = 'NEW'", s.channel()) == 0);

        long assigned = 0;
        for (Row r : pool.preparedQuery("SELECT owner_username, count(*) FROM lead WHERE channel = $1 "
                + "AND status = 'ASSIGNED' GROUP BY 1").execute(Tuple.of(s.channel())).await()
                .atMost(Duration.ofSeconds(5))) {
            assertThat(r.getLong(1)).as("open leads of " + r.getString(0)).isLessThanOrEqualTo(4);
            assigned += r.getLong(1);
        }
        assertThat(assigned).isEqualTo(8);
        assertThat(count("SELECT count(*) FROM lead WHERE channel = $1 AND status = 'QUEUED'", s.channel()))
                .isEqualTo(22);
        assertThat(count("SELECT count(*) FROM routing_decision d JOIN lead l ON l.id = d.lead_id "
                + "WHERE l.channel = $1", s.channel())).as("one decision per lead").isEqualTo(30);
        assertThat(count("SELECT count(*) FROM sla_timer t JOIN lead l ON l.id = t.lead_id WHERE l.channel = $1",
                s.channel())).as("warning and deadline per assignment").isEqualTo(16);
        assertThat(count("SELECT coalesce(sum(assigned_count), 0) FROM team_member m JOIN team t ON t.id = m.team_id "
                + "WHERE t.name = $1", s.teamName())).as("one round-robin turn per assignment").isEqualTo(8);
    }

    /**
     * The open untouched leads a round reads per rep (rep_open_leads, kept by a trigger) equal the ASSIGNED leads in
     * the table after routing, touches, an owner change, a requeue and a delete, whoever writes them: the counts
     * the caps are checked against never drift from the rows.
     */
    @Test
    void openLeadCountsFollowEveryWriteToTheLeads() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1, 100, null);
        pool.preparedQuery("""
                INSERT INTO lead (id, crm, crm_id, email, channel, received_at, updated_at)
                SELECT gen_random_uuid(), 'hubspot', 'oc-' || $1 || '-' || i, 'o' || i || '@' || $1 || '-oc' || i
                       || '.example', $1, now() + i * interval '1 millisecond', now()
                FROM generate_series(1, 12) i""").execute(Tuple.of(s.channel())).await().atMost(Duration.ofSeconds(5));
        router.wakeUp();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM lead WHERE channel = $1 AND status = 'ASSIGNED'", s.channel()) == 12);
        assertOpenCounts(s, 12);

        // two touched, one moved to the other rep, one requeued, one deleted: 8 left open
        List<String> ids = new ArrayList<>();
        for (Row r : pool.preparedQuery("SELECT id::text FROM lead WHERE channel = $1 ORDER BY received_at")
                .execute(Tuple.of(s.channel())).await().atMost(Duration.ofSeconds(5))) {
            ids.add(r.getString(0));
        }
        exec("UPDATE lead SET status = 'TOUCHED' WHERE id::text = any($1)", ids.subList(0, 2));
        exec("UPDATE lead SET owner_username = CASE WHEN owner_username = '" + s.repA() + "' THEN '" + s.repB()
                + "' ELSE '" + s.repA() + "' END WHERE id::text = any($1)", ids.subList(2, 3));
        exec("UPDATE lead SET status = 'QUEUED', owner_username = NULL WHERE id::text = any($1)", ids.subList(3, 4));
        exec("DELETE FROM sla_timer WHERE lead_id::text = any($1)", ids.subList(4, 5));
        exec("DELETE FROM lead_assignment WHERE lead_id::text = any($1)", ids.subList(4, 5));
        exec("DELETE FROM routing_decision WHERE lead_id::text = any($1)", ids.subList(4, 5));
        exec("DELETE FROM lead WHERE id::text = any($1)", ids.subList(4, 5));
        assertOpenCounts(s, 8);
    }

    /**
     * A round reads the published rule-set version and the SLA policies itself, so a publish and a policy change
     * made by another replica (here: straight in the database, behind this instance's back) apply from this
     * instance's next round, although it has parsed and kept the earlier version and policies.
     */
    @Test
    void aPublishAndAPolicyChangeMadeElsewhereApplyFromTheNextRound() {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1, 100, null);
        String tag = s.channel().substring(3);
        UUID first = newLead(s.channel(), "x1");
        Row before = routed(first);
        assertThat(before.getString(0)).isEqualTo("channel " + tag);
        assertThat(before.getDouble(2)).isEqualTo(3600.0);

        // another replica publishes a new version and lengthens the policy
        pool.preparedQuery("""
                WITH retired AS (
                  UPDATE rule_set SET status = 'RETIRED', retired_at = now() WHERE status = 'PUBLISHED' RETURNING 1
                )
                INSERT INTO rule_set (id, version, status, description, definition, created_by, created_at,
                                      validated_at, published_by, published_at)
                SELECT gen_random_uuid(), (SELECT max(version) + 1 FROM rule_set), 'PUBLISHED', 'elsewhere',
                       cast(cast($1 as text) as jsonb), 'replica-a', now(), now(), 'replica-a', now()
                 WHERE (SELECT count(*) FROM retired) >= 0""")
                .execute(Tuple.of("""
                        {"fallbackQueue":"triage","rules":[{"name":"moved %s","when":{"field":"channel","op":"eq",
                         "value":"%s"},"then":{"type":"team","team":"%s"}}]}""".formatted(tag, s.channel(),
                        s.teamName())))
                .await().atMost(Duration.ofSeconds(5));
        pool.preparedQuery("UPDATE sla_policy SET target_seconds = 7200 WHERE name = $1").execute(Tuple.of("sla-"
                + tag)).await().atMost(Duration.ofSeconds(5));

        UUID second = newLead(s.channel(), "x2");
        Row after = routed(second);
        assertThat(after.getString(0)).isEqualTo("moved " + tag);
        assertThat(after.getInteger(1)).isGreaterThan(before.getInteger(1));
        assertThat(after.getDouble(2)).isEqualTo(7200.0);
    }

    private UUID newLead(String channel, String suffix) {
        UUID id = UUID.randomUUID();
        pool.preparedQuery("""
                INSERT INTO lead (id, crm, crm_id, email, channel, received_at, updated_at)
                VALUES ($1, 'hubspot', 'el-' || $1, 'el-' || $2 || '@' || $1 || '.example', $3, now(), now())""")
                .execute(Tuple.of(id, suffix, channel)).await().atMost(Duration.ofSeconds(5));
        router.wakeUp();
        return id;
    }

    /** Rule name, rule-set version and SLA target in seconds of the decision that routed the lead. */
    private Row routed(UUID lead) {
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM lead WHERE id::text = $1 AND status = 'ASSIGNED'", lead.toString()) == 1);
        return pool.preparedQuery("""
                SELECT d.rule_name, d.rule_set_version, extract(epoch from l.sla_due_at - l.assigned_at)::float8
                  FROM lead l JOIN routing_decision d ON d.id = l.decision_id WHERE l.id = $1""")
                .execute(Tuple.of(lead)).await().atMost(Duration.ofSeconds(5)).iterator().next();
    }

    private void exec(String sql, List<String> ids) {
        pool.preparedQuery(sql).execute(Tuple.of(ids.toArray(new String[0]))).await().atMost(Duration.ofSeconds(5));
    }

    private void assertOpenCounts(RoutingFixtures.Setup s, long expectedTotal) {
        long total = 0;
        for (String rep : List.of(s.repA(), s.repB())) {
            long actual = count("SELECT count(*) FROM lead WHERE status = 'ASSIGNED' AND owner_username = $1", rep);
            long kept = count("SELECT coalesce((SELECT open_count FROM rep_open_leads WHERE username = $1), 0)", rep);
            assertThat(kept).as("open leads kept for " + rep).isEqualTo(actual);
            total += actual;
        }
        assertThat(total).isEqualTo(expectedTotal);
    }

    @Test
    void aDuplicateInTheSameBatchGoesToTheOwnerOfTheFirst() {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1);
        String email = "twice-" + UUID.randomUUID() + "@acme-dup.example";
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        // one statement: both are NEW in the same round
        pool.preparedQuery("""
                INSERT INTO lead (id, crm, crm_id, email, channel, received_at, updated_at) VALUES
                ($1, 'hubspot', 'dup-a-' || $1, $3, $4, now(), now()),
                ($2, 'hubspot', 'dup-b-' || $2, $3, $4, now() + interval '1 millisecond', now())""")
                .execute(Tuple.of(first, second, email, s.channel())).await().atMost(Duration.ofSeconds(5));
        router.wakeUp();
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM lead WHERE channel = $1 AND status = 'ASSIGNED'", s.channel()) == 2);

        Row a = pool.preparedQuery("SELECT owner_username FROM lead WHERE id = $1").execute(Tuple.of(first)).await()
                .atMost(Duration.ofSeconds(5)).iterator().next();
        Row b = pool.preparedQuery("SELECT l.owner_username, d.reason FROM lead l JOIN routing_decision d "
                + "ON d.id = l.decision_id WHERE l.id = $1").execute(Tuple.of(second)).await()
                .atMost(Duration.ofSeconds(5)).iterator().next();
        assertThat(b.getString(0)).isEqualTo(a.getString(0));
        assertThat(b.getString(1)).isEqualTo("DUPLICATE");
    }

    /**
     * The batch path itself (not its lead-by-lead fallback): one transaction writes every decision, assignment and
     * timer of the round, and the round's owner.assign commands leave the outbox.
     */
    @Test
    void aBatchWritesItsDecisionsAssignmentsAndTimersAndPublishesItsCommands() {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        RoutingFixtures.Setup s = RoutingFixtures.setup(admin, 3600, 1);
        pool.preparedQuery("""
                INSERT INTO lead (id, crm, crm_id, email, channel, received_at, updated_at)
                SELECT gen_random_uuid(), 'hubspot', 'nb-' || $1 || '-' || i, 'b' || i || '@' || $1 || '-b' || i
                       || '.example', $1, now() - interval '1 hour' + i * interval '1 millisecond', now()
                FROM generate_series(1, 5) i""").execute(Tuple.of(s.channel())).await().atMost(Duration.ofSeconds(5));

        // rounds run here (and the router's own, woken by its poll, may take some of the leads: both are batches)
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try {
                VertxContextSupport.<Integer>subscribeAndAwait(() -> router.batch());
            } catch (Throwable t) {
                throw new AssertionError("the batch failed", t);
            }
            return count("SELECT count(*) FROM lead WHERE channel = $1 AND status <> 'ASSIGNED'", s.channel()) == 0;
        });

        assertThat(count("SELECT count(*) FROM lead WHERE channel = $1 AND status = 'ASSIGNED'", s.channel()))
                .isEqualTo(5);
        assertThat(count("SELECT count(*) FROM lead l JOIN routing_decision d ON d.id = l.decision_id "
                + "AND d.lead_id = l.id AND d.trace ? 'steps' WHERE l.channel = $1", s.channel()))
                .as("the lead points at its decision, with its trace").isEqualTo(5);
        assertThat(count("SELECT count(*) FROM lead l JOIN lead_assignment a ON a.lead_id = l.id "
                + "AND a.decision_id = l.decision_id AND a.username = l.owner_username AND a.ended_at IS NULL "
                + "WHERE l.channel = $1", s.channel())).as("one open assignment per lead").isEqualTo(5);
        assertThat(count("SELECT count(*) FROM sla_timer t JOIN lead l ON l.id = t.lead_id "
                + "JOIN lead_assignment a ON a.id = t.assignment_id AND a.lead_id = l.id "
                + "WHERE l.channel = $1 AND t.state = 'PENDING' AND t.due_at = l.sla_due_at", s.channel()))
                .as("the deadline of each clock").isEqualTo(5);
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM outbox_event o "
                + "JOIN lead l ON o.subject = 'lead/' || l.id WHERE l.channel = $1 AND o.event_type = 'owner.assign' "
                + "AND o.published_at IS NOT NULL", s.channel()) == 5);
    }

    private long count(String sql, String param) {
        return pool.preparedQuery(sql).execute(Tuple.of(param)).await().atMost(Duration.ofSeconds(5)).iterator()
                .next().getLong(0);
    }
}
