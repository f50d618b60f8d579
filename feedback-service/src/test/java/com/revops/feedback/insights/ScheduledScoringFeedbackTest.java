package com.revops.feedback.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;

/**
 * The scheduled publication, driven with its own clock in June 2002 (a period no other test's leads fall in):
 * once per period however many replicas check, unchanged dimensions skipped, CRM write-back of changes only, and
 * a cleanup (0) for a record whose adjustment went back to zero.
 * Fixture (leads created in May 2002): sched-a/US 40 leads, 16 NOT_ICP + 4 BAD_TIMING; sched-b/DE 60 leads,
 * 6 BAD_TIMING; one sched-c/FR lead, open, whose record still carries +15 from an earlier publication.
 */
@QuarkusTest
class ScheduledScoringFeedbackTest {

    static final Instant T1 = Instant.parse("2002-06-15T12:00:00Z");

    @Inject
    ScoringScheduler scheduler;

    @Test
    void publishesOncePerPeriodSkipsUnchangedDimensionsAndCleansUpAdjustmentsBackAtZero() throws Throwable {
        loadFixture();
        String windowFrom = "2002-03-17T00:00:00Z"; // period 2002-06-15 minus 90 days

        ScoringScheduler.Run first = VertxContextSupport.subscribeAndAwait(() -> scheduler.runIfDue(T1));
        assertEquals("ran", first.outcome());
        assertEquals(Instant.parse("2002-06-15T00:00:00Z"), first.periodStart());
        assertEquals(7, first.published().size(), first.published().toString());
        // open leads: 20 in a (-20 each), 54 in b (+20 each); c sums to 0 and its +15 is cleaned up
        assertEquals(74, first.crmWrites());
        assertEquals(1, first.crmCleared());
        assertEquals(7, scoringEvents(windowFrom));
        assertEquals("0", Db.string("SELECT envelope->'data'->'fields'->>'feedback_score_adjustment' FROM outbox_event "
                + "WHERE event_type = 'record.fields.set' AND subject = 'lead/hubspot/sc-c'"));
        assertEquals(0, Db.count("SELECT count(*) FROM crm_score_written WHERE crm_id = 'sc-c'"));
        assertEquals(74, Db.count("SELECT count(*) FROM crm_score_written WHERE crm_id LIKE 'sc-%'"));
        assertEquals("20", Db.string("SELECT points::text FROM crm_score_written WHERE crm_id = 'sc-70'"));

        // the same period again: nothing
        ScoringScheduler.Run again = VertxContextSupport.subscribeAndAwait(() -> scheduler.runIfDue(
                T1.plus(Duration.ofHours(5))));
        assertEquals("done", again.outcome());
        assertEquals(7, scoringEvents(windowFrom));

        // next period, two replicas at once: one runs; nothing changed, so nothing is published or written
        // (each on its own thread and Vert.x context, hence its own session and connection, like two replicas)
        java.util.concurrent.Callable<ScoringScheduler.Run> replica = () -> {
            try {
                return VertxContextSupport.subscribeAndAwait(() -> scheduler.runIfDue(T1.plus(Duration.ofDays(1))));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        };
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        List<ScoringScheduler.Run> both;
        try {
            both = new java.util.ArrayList<>();
            for (var f : pool.invokeAll(List.of(replica, replica))) {
                both.add(f.get());
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(1, both.stream().filter(r -> "ran".equals(r.outcome())).count(), both.toString());
        ScoringScheduler.Run second = both.stream().filter(r -> "ran".equals(r.outcome())).findFirst().orElseThrow();
        assertEquals(List.of(), second.published());
        assertEquals(7, second.unchanged().size());
        assertEquals(0, second.crmWrites());
        assertEquals(0, scoringEvents("2002-03-18T00:00:00Z"));
        assertEquals(74, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'record.fields.set' "
                + "AND subject LIKE 'lead/hubspot/sc-%' "
                + "AND envelope->'data'->'fields'->>'feedback_score_adjustment' IS NOT NULL "
                + "AND subject <> 'lead/hubspot/sc-c'"));

        // only the industry picture changes: only industry is published
        Db.update("UPDATE lead_context SET industry = 'Mining' WHERE crm_id = 'sc-0'");
        ScoringScheduler.Run third = VertxContextSupport.subscribeAndAwait(() -> scheduler.runIfDue(
                T1.plus(Duration.ofDays(2))));
        assertEquals("ran", third.outcome());
        assertEquals(List.of("industry"), third.published());
        assertEquals(6, third.unchanged().size());
        assertEquals(1, scoringEvents("2002-03-19T00:00:00Z"));
        assertTrue(Db.string("SELECT last_result FROM scheduled_job WHERE name = 'scoring-feedback'")
                .startsWith("published [industry]"));
        io.restassured.RestAssured.given()
                .auth().oauth2(com.revops.platform.testing.KeycloakTokens.accessToken(
                        com.revops.platform.testing.KeycloakTokens.MARKETING))
                .get("/insights/scoring-feedback/schedule").then().statusCode(200)
                .body("lastPeriodStart", org.hamcrest.Matchers.equalTo("2002-06-17T00:00:00Z"))
                .body("lastResult", org.hamcrest.Matchers.startsWith("published [industry], unchanged ["))
                .body("dimensions.find { it.dimension == 'industry' }.periodFrom",
                        org.hamcrest.Matchers.equalTo("2002-03-19T00:00:00Z"));
    }

    static long scoringEvents(String from) throws Exception {
        return Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'scoring.feedback' "
                + "AND envelope->'data'->>'from' = ?", from);
    }

    static void loadFixture() throws Exception {
        Db.update("UPDATE scheduled_job SET last_period_start = NULL WHERE name = 'scoring-feedback'");
        if (Db.count("SELECT count(*) FROM lead_context WHERE source LIKE 'sched-%'") > 0) {
            return;
        }
        Instant base = Instant.parse("2002-05-02T10:00:00Z");
        try (Connection c = Db.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement lead = c.prepareStatement("""
                    INSERT INTO lead_context (lead_id, crm, crm_id, source, channel, country, crm_created_at,
                      first_seen_at, updated_at) VALUES (?, 'hubspot', ?, ?, 'web', ?, ?, ?, now())""");
                    PreparedStatement dq = c.prepareStatement("""
                    INSERT INTO disqualification (id, lead_id, crm, crm_id, state, reason_state, reason_code,
                      reason_category, disqualified_at, captured_via, no_contact_attempt)
                    VALUES (?, ?, 'hubspot', ?, 'ACTIVE', 'PROVIDED', ?, ?, ?, 'event', false)""")) {
                for (int i = 0; i <= 100; i++) {
                    String source = i < 40 ? "sched-a" : i < 100 ? "sched-b" : "sched-c";
                    String country = i < 40 ? "US" : i < 100 ? "DE" : "FR";
                    String crmId = i < 100 ? "sc-" + i : "sc-c";
                    UUID id = UUID.randomUUID();
                    Instant created = base.plus(Duration.ofDays(i % 20));
                    lead.setObject(1, id);
                    lead.setString(2, crmId);
                    lead.setString(3, source);
                    lead.setString(4, country);
                    lead.setTimestamp(5, Timestamp.from(created));
                    lead.setTimestamp(6, Timestamp.from(created));
                    lead.addBatch();
                    String code = i < 16 ? "NOT_ICP" : i < 20 || (i >= 40 && i < 46) ? "BAD_TIMING" : null;
                    if (code != null) {
                        dq.setObject(1, UUID.randomUUID());
                        dq.setObject(2, id);
                        dq.setString(3, crmId);
                        dq.setString(4, code);
                        dq.setString(5, "NOT_ICP".equals(code) ? "fit" : "timing");
                        dq.setTimestamp(6, Timestamp.from(created.plus(Duration.ofDays(2))));
                        dq.addBatch();
                    }
                }
                lead.executeBatch();
                dq.executeBatch();
            }
            try (PreparedStatement w = c.prepareStatement("INSERT INTO crm_score_written (crm, crm_id, points, "
                    + "written_at) VALUES ('hubspot', 'sc-c', 15, now())")) {
                w.executeUpdate();
            }
            c.commit();
        }
    }
}
