package com.revops.feedback.leads;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revops.feedback.Db;
import com.revops.feedback.TestEvents;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;

import io.quarkus.test.junit.QuarkusTest;

/**
 * End to end on the real broker: a HubSpot merge moves the merged-away lead's disqualifications, loop and disputes
 * to the surviving lead, keeping the more informative of two standing ones; a deletion keeps the record for
 * statistics and no command ever reaches the deleted CRM record. Redelivery changes nothing.
 */
@QuarkusTest
class MergedAndDeletedContactsTest {

    static RabbitTestClient rabbit;

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    static String crmId(UUID lead) {
        return "hs-" + lead.toString().substring(0, 8);
    }

    static void merge(UUID survivor, String survivorCrmId, String mergedCrmId) throws Exception {
        TestEvents.publish(rabbit, "crm.events", "contact.merged", survivor, """
                {"leadId":"%s","crm":"hubspot","primaryCrmId":"%s","mergedCrmIds":["%s"],"newCrmId":"%s",
                 "mergedAt":"%s"}""".formatted(survivor, survivorCrmId, mergedCrmId, survivorCrmId, Instant.now()));
    }

    @Test
    void mergeMovesTheRecordsToTheSurvivorKeepingTheMoreInformativeOne() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        UUID survivor = UUID.randomUUID();
        UUID merged = UUID.randomUUID();
        Instant created = Instant.now().minus(Duration.ofDays(8));
        Db.lead(survivor, "hubspot", crmId(survivor), "Merge Co", "events", "merge-" + survivor, "sam.sdr",
                "sdr-east", created);
        Db.lead(merged, "hubspot", crmId(merged), "Merge Co (dup)", "events", "merge-" + survivor, "sam.sdr",
                "sdr-east", created);
        // the survivor: disqualified without a reason (the loop runs); the duplicate: NOT_ICP with a note, disputed,
        // and an older re-opened disqualification
        TestEvents.statusChanged(rabbit, survivor, crmId(survivor), "OPEN", "UNQUALIFIED", null, false);
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(
                "SELECT count(*) FROM disqualification WHERE lead_id = ? AND state = 'ACTIVE'", survivor) == 1);
        String missing = Db.string("SELECT id::text FROM disqualification WHERE lead_id = ?", survivor);
        String kept = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("leadId", merged.toString(), "reasonCode", "NOT_ICP", "note", "reseller, not a buyer"))
                .post("/disqualifications").then().statusCode(201).extract().path("id");
        Db.update("""
                INSERT INTO disqualification (id, lead_id, crm, crm_id, state, reason_state, reason_code,
                  reason_category, disqualified_at, captured_via, no_contact_attempt, closed_at)
                VALUES (gen_random_uuid(), ?, 'hubspot', ?, 'REOPENED', 'PROVIDED', 'BAD_TIMING', 'timing',
                  now() - interval '6 days', 'api', false, now() - interval '5 days')""", merged, crmId(merged));
        String dispute = given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .contentType("application/json").body(Map.of("comment", "they buy through partners"))
                .post("/disqualifications/" + kept + "/disputes").then().statusCode(201).extract().path("id");

        merge(survivor, crmId(survivor), crmId(merged));
        await().atMost(Duration.ofSeconds(60)).until(() -> "MERGED".equals(
                Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", missing)));

        assertEquals(kept, Db.string("SELECT superseded_by::text FROM disqualification WHERE id = ?::uuid", missing));
        assertEquals(0, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND fired_at IS NULL AND cancelled_at IS NULL", missing), "the superseded loop stops");
        given().auth().oauth2(admin).get("/disqualifications/" + kept).then().statusCode(200)
                .body("state", equalTo("ACTIVE"))
                .body("leadId", equalTo(survivor.toString()))
                .body("crmId", equalTo(crmId(survivor)))
                .body("mergedFromLeadId", equalTo(merged.toString()));
        assertEquals(0, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ?", merged));
        assertEquals(3, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ?", survivor));
        assertEquals(1, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ? AND state = 'ACTIVE'",
                survivor));
        assertEquals(survivor.toString(), Db.string("SELECT lead_id::text FROM dispute WHERE id = ?::uuid", dispute));
        assertEquals(survivor.toString(), Db.string("SELECT merged_into::text FROM lead_context WHERE lead_id = ?",
                merged));
        assertEquals(3, Db.count("SELECT count(*) FROM lead_merge_audit WHERE survivor_lead_id = ?", survivor));
        assertEquals(1, Db.count("SELECT count(*) FROM lead_merge_audit WHERE survivor_lead_id = ? "
                + "AND action = 'SUPERSEDED' AND disqualification_id = ?::uuid", survivor, missing));

        // the same merge delivered again (a new event id, as HubSpot retries do): nothing moves twice
        merge(survivor, crmId(survivor), crmId(merged));
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count("SELECT count(*) FROM processed_message "
                + "WHERE event_type = 'contact.merged'") >= 2 && Db.count("SELECT count(*) FROM processed_message "
                + "WHERE event_type = 'contact.merged' AND processed_at > now() - interval '1 minute'") >= 2);
        assertEquals(3, Db.count("SELECT count(*) FROM lead_merge_audit WHERE survivor_lead_id = ?", survivor));
        assertEquals(1, Db.count("SELECT count(*) FROM disqualification WHERE lead_id = ? AND state = 'ACTIVE'",
                survivor));
    }

    @Test
    void deletedRecordStaysForStatisticsButNeverGetsACommand() throws Exception {
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        UUID lead = UUID.randomUUID();
        String crmId = crmId(lead);
        Db.lead(lead, "hubspot", crmId, "Deleted Inc", "events", "del-" + lead, "sam.sdr", "sdr-east",
                Instant.now().minus(Duration.ofDays(4)));
        String id = given().auth().oauth2(admin).contentType("application/json")
                .body(Map.of("leadId", lead.toString(), "reasonCode", "BAD_TIMING")).post("/disqualifications")
                .then().statusCode(201).extract().path("id");
        assertEquals(1, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.status.set' "
                + "AND subject = ?", "lead/hubspot/" + crmId));

        TestEvents.publish(rabbit, "crm.events", "contact.deleted", lead, """
                {"leadId":"%s","crm":"hubspot","crmId":"%s","deletedAt":"%s"}""".formatted(lead, crmId,
                Instant.now()));
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.string(
                "SELECT crm_deleted_at FROM disqualification WHERE id = ?::uuid", id) != null);
        assertEquals("ACTIVE", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", id));
        assertEquals(1, Db.count("SELECT count(*) FROM feedback_timer WHERE disqualification_id = ?::uuid "
                + "AND kind = 'RECYCLE' AND cancelled_at IS NOT NULL", id));
        assertNotNull(Db.string("SELECT crm_deleted_at FROM lead_context WHERE lead_id = ?", lead));

        // a dispute accepted later re-qualifies the lead in feedback, but sends no status to the deleted record
        String dispute = given().auth().oauth2(KeycloakTokens.accessToken(KeycloakTokens.MARKETING))
                .contentType("application/json").body(Map.of("comment", "was a good fit"))
                .post("/disqualifications/" + id + "/disputes").then().statusCode(201).extract().path("id");
        given().auth().oauth2(admin).contentType("application/json").body(Map.of("comment", "agreed"))
                .post("/disputes/" + dispute + "/accept").then().statusCode(200);
        assertEquals("REQUALIFIED", Db.string("SELECT state FROM disqualification WHERE id = ?::uuid", id));
        assertEquals(1, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.status.set' "
                + "AND subject = ?", "lead/hubspot/" + crmId));
        assertEquals(1, Db.count("SELECT count(*) FROM outbox_event WHERE event_type = 'lead.requalified' "
                + "AND subject = ?", "lead/" + lead));
    }
}
