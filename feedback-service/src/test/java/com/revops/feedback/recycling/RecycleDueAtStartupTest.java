package com.revops.feedback.recycling;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A recycle date fires after a restart, for real: this profile starts the service on a database that already holds
 * what a stopped process left (a test-only Flyway location seeds a BAD_TIMING disqualification whose recycle date
 * passed 10 days ago). Nothing in the test touches the poller: the service's own scheduled poll fires the timer
 * after start, once.
 */
@QuarkusTest
@TestProfile(RecycleDueAtStartupTest.StartedOnAPreviousProcessDatabase.class)
class RecycleDueAtStartupTest {

    static final String DISQUALIFICATION = "00000000-0000-4000-8000-00000000d001";

    public static class StartedOnAPreviousProcessDatabase implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.flyway.locations", "db/platform,db/migration,db/restart-seed");
        }
    }

    @Test
    void recycleDateThatPassedWhileNoReplicaRanFiresAfterStart() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> "RECYCLED".equals(
                Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", DISQUALIFICATION)));
        assertEquals("OPEN", Db.string("SELECT envelope->'data'->>'status' FROM outbox_event "
                + "WHERE event_type = 'lead.status.set' AND subject = 'lead/hubspot/hs-restart-seed'"));
        assertEquals(1, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.recycled' "
                + "AND subject = 'lead/00000000-0000-4000-8000-00000000a001'"));
        assertEquals(0, Db.count("SELECT attempts FROM feedback_timer WHERE disqualification_id = ?::uuid",
                DISQUALIFICATION));
        Thread.sleep(2500); // two more polls: it stays fired once
        assertEquals(1, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.recycled' "
                + "AND subject = 'lead/00000000-0000-4000-8000-00000000a001'"));
    }
}
