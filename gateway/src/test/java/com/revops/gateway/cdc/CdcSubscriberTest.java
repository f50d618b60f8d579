package com.revops.gateway.cdc;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.cdc.PubSubApi.FetchRequest;
import com.revops.gateway.cdc.PubSubApi.ReplayPreset;
import com.revops.gateway.crm.salesforce.SalesforceFakeResource;
import com.revops.platform.testing.KeycloakTokens;
import com.revops.platform.testing.RabbitTestClient;
import com.revops.platform.testing.RabbitTestClient.Received;

import io.grpc.ManagedChannel;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The CDC subscriber against a fake Pub/Sub API: Lead changes become canonical events exactly once, across a restart
 * that replays; our own writes are not announced; UNAUTHENTICATED renews the session; GAP events and a refused
 * replay id start incremental syncs; no more events arrive than were requested.
 */
@QuarkusTest
class CdcSubscriberTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String ORG = "00D5g000004ABCDEAA";
    static final String TOPIC = "/data/LeadChangeEvent";
    static final String PERSON = "005PERSON0000001AAA";
    static final DateTimeFormatter SF = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ")
            .withZone(ZoneOffset.UTC);
    static RabbitTestClient rabbit;

    @Inject
    Pool pool;

    @Inject
    CdcService cdc;

    PubSubFake fake;
    ManagedChannel channel;
    final List<CdcSubscriber> started = new ArrayList<>();

    @BeforeAll
    static void connect() throws Exception {
        rabbit = new RabbitTestClient();
    }

    @AfterAll
    static void disconnect() throws Exception {
        rabbit.close();
    }

    @BeforeEach
    void fakeServer() throws Exception {
        fake = new PubSubFake(ORG, SalesforceFakeResource::validToken);
        channel = fake.channel();
        // every test starts from a fresh subscription row (earlier runs left theirs, with another fake's replay ids)
        sql("DELETE FROM cdc_subscription WHERE topic = $1", TOPIC);
    }

    @AfterEach
    void stop() {
        started.forEach(s -> s.stop().await().atMost(Duration.ofSeconds(5)));
        started.clear();
        channel.shutdownNow();
        fake.close();
    }

    CdcSubscriber start() {
        CdcSubscriber s = cdc.subscriber(channel, TOPIC);
        started.add(s);
        s.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> fake.liveStreams() == 1);
        return s;
    }

    void stopSubscriber(CdcSubscriber s) {
        s.stop().await().atMost(Duration.ofSeconds(5));
        started.remove(s);
        fake.dropStreams();
    }

    long sql(String query, Object... args) {
        return pool.preparedQuery(query).execute(Tuple.from(args)).map(r -> (long) r.rowCount()).await()
                .atMost(Duration.ofSeconds(5));
    }

    long count(String query, Object... args) {
        return pool.preparedQuery(query).execute(Tuple.from(args)).map(r -> r.iterator().next().getLong(0)).await()
                .atMost(Duration.ofSeconds(5));
    }

    void awaitDone(String leadId, long n) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> count(
                "SELECT count(*) FROM webhook_event WHERE object_id = $1 AND subscription_type LIKE 'cdc.%' "
                        + "AND status = 'DONE'", leadId) >= n);
    }

    String newLead(String email, Instant at) {
        Map<String, Object> lead = new LinkedHashMap<>();
        lead.put("LastName", "Change");
        lead.put("Company", "Change Inc");
        lead.put("Email", email);
        lead.put("Status", "Open - Not Contacted");
        lead.put("OwnerId", "005REPA000000001AAA");
        lead.put("CreatedDate", SF.format(at));
        lead.put("LastModifiedDate", SF.format(at));
        lead.put("SystemModstamp", SF.format(at));
        lead.put("LastModifiedById", PERSON);
        return SalesforceFakeResource.insert("Lead", lead);
    }

    /** The person changes the lead in the org (the record the normaliser reads) and Salesforce publishes it. */
    byte[] change(String leadId, String changeType, String origin, String user, Map<String, Object> fields)
            throws Exception {
        Instant at = Instant.now();
        Map<String, Object> inOrg = SalesforceFakeResource.record("Lead", leadId);
        if (inOrg != null) {
            inOrg.putAll(fields);
            inOrg.put("LastModifiedDate", SF.format(at));
            inOrg.put("SystemModstamp", SF.format(at));
            inOrg.put("LastModifiedById", user);
        }
        return fake.publish(TOPIC, PubSubFake.leadChange(changeType, leadId, origin, user, at.toEpochMilli(), fields));
    }

    List<String> eventsFor(String queue, String leadId, Duration wait) throws Exception {
        List<String> types = new ArrayList<>();
        for (Received r : rabbit.await(queue, 1000, wait)) {
            JsonNode e = JSON.readTree(r.body());
            if (leadId.equals(e.path("data").path("crmId").asText())) {
                types.add(e.path("type").asText());
            }
        }
        return types;
    }

    static final String PERSON_ORIGIN = "com/salesforce/api/soap/67.0;client=SfdcInternalAPI/";

    @Test
    void leadCreateUpdateDeleteAreAnnouncedOnceEvenWhenARestartedSubscriberReplaysThem() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "#");
        String email = "cdc-" + UUID.randomUUID().toString().substring(0, 8) + "@change.example";
        String leadId = newLead(email, Instant.now().minusSeconds(60));
        CdcSubscriber subscriber = start();

        byte[] created = change(leadId, "CREATE", PERSON_ORIGIN, PERSON, Map.of("LastName", "Change", "Email", email,
                "Status", "Open - Not Contacted"));
        awaitDone(leadId, 1);
        change(leadId, "UPDATE", PERSON_ORIGIN, PERSON, Map.of("Status", "Working - Contacted"));
        awaitDone(leadId, 2);
        assertEquals(ReplayPreset.LATEST, fake.fetchRequests.get(0).replayPreset(), "no replay id stored yet");

        // a crash after storing the update but before its replay id was stored: the restarted subscriber resumes
        // after the create and gets the update again
        stopSubscriber(subscriber);
        sql("UPDATE cdc_subscription SET replay_id = $2 WHERE topic = $1", TOPIC, Buffer.buffer(created));
        int before = fake.fetchRequests.size();
        start();
        FetchRequest resumed = fake.fetchRequests.get(before);
        assertEquals(ReplayPreset.CUSTOM, resumed.replayPreset());
        assertArrayEquals(created, resumed.replayId());
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT events FROM cdc_subscription WHERE topic = $1",
                TOPIC) >= 3);

        SalesforceFakeResource.delete("Lead", leadId, Instant.now());
        change(leadId, "DELETE", PERSON_ORIGIN, PERSON, Map.of());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> count(
                "SELECT count(*) FROM webhook_event WHERE object_id = $1 AND subscription_type = 'cdc.Lead.deletion' "
                        + "AND status = 'DONE'", leadId) == 1);

        List<String> types = eventsFor(queue, leadId, Duration.ofSeconds(5));
        assertEquals(1, types.stream().filter("lead.created"::equals).count(), types.toString());
        assertEquals(1, types.stream().filter("lead.status-changed"::equals).count(), types.toString());
        assertEquals(1, types.stream().filter("contact.deleted"::equals).count(), types.toString());
        assertEquals(3, count("SELECT count(*) FROM webhook_event WHERE object_id = $1 AND crm = 'salesforce' "
                + "AND subscription_type LIKE 'cdc.%'", leadId), "the replayed update was stored once");
        // the enrichment read said who we are: the header our own writes carry back in changeOrigin
        assertTrue(SalesforceFakeResource.apiRequests().stream().anyMatch(r -> "client=revops-gateway".equals(
                r.getHeader("Sforce-Call-Options"))));
    }

    @Test
    void ourOwnWriteComesBackWithoutAnOwnerChangeAndAPersonsNextChangeIsAnnounced() throws Exception {
        String queue = rabbit.bindTemporaryQueue("crm.events", "lead.*");
        String email = "cdc-echo-" + UUID.randomUUID().toString().substring(0, 8) + "@change.example";
        String leadId = newLead(email, Instant.now().minusSeconds(60));
        start();
        change(leadId, "CREATE", PERSON_ORIGIN, PERSON, Map.of("LastName", "Change", "Email", email));
        awaitDone(leadId, 1);
        // our owner.assign, as Salesforce reports it: our client name in changeOrigin (someone else's user)
        change(leadId, "UPDATE", "com/salesforce/api/rest/67.0;client=revops-gateway", PERSON,
                Map.of("OwnerId", "005REPB000000001AAA"));
        awaitDone(leadId, 2);
        change(leadId, "UPDATE", PERSON_ORIGIN, PERSON, Map.of("Status", "Working - Contacted"));
        awaitDone(leadId, 3);

        List<String> types = eventsFor(queue, leadId, Duration.ofSeconds(5));
        assertEquals(List.of("lead.created", "lead.status-changed"), types);
        assertEquals(1, count("SELECT count(*) FROM webhook_event WHERE object_id = $1 "
                + "AND (payload->>'ownWrite')::boolean", leadId));
    }

    @Test
    void anUnauthenticatedStreamRenewsTheSessionOnceAndCarriesOn() throws Exception {
        CdcSubscriber subscriber = start();
        String before = fake.acceptedTokens.get(fake.acceptedTokens.size() - 1);
        fake.refuseNextToken.set(true); // the session expired: the next call is refused
        fake.dropStreams();
        await().atMost(Duration.ofSeconds(20)).until(() -> fake.unauthenticated.get() == 1 && fake.liveStreams() == 1);
        String after = fake.acceptedTokens.get(fake.acceptedTokens.size() - 1);
        assertTrue(!before.equals(after), "a new access token was fetched");
        assertEquals(CdcSubscriber.State.STREAMING, subscriber.snapshot().state());

        String leadId = newLead("cdc-auth-" + UUID.randomUUID().toString().substring(0, 8) + "@change.example",
                Instant.now().minusSeconds(60));
        change(leadId, "CREATE", PERSON_ORIGIN, PERSON, Map.of("LastName", "Change"));
        awaitDone(leadId, 1);
        assertEquals(1, fake.unauthenticated.get(), "refused once only");
    }

    @Test
    void revopsAdminsSeeWhereEachChannelIsAndWhoHoldsIt() throws Exception {
        start();
        String leadId = newLead("cdc-admin-" + UUID.randomUUID().toString().substring(0, 8) + "@change.example",
                Instant.now().minusSeconds(60));
        byte[] replayId = change(leadId, "CREATE", PERSON_ORIGIN, PERSON, Map.of("LastName", "Change"));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT events FROM cdc_subscription WHERE topic = $1",
                TOPIC) == 1);
        String admin = KeycloakTokens.accessToken(KeycloakTokens.ADMIN);
        given().auth().oauth2(admin).when().get("/admin/cdc").then().statusCode(200)
                .body("enabled", equalTo(false))
                .body("subscriptions.find { it.topic == '" + TOPIC + "' }.replayId",
                        equalTo(java.util.HexFormat.of().formatHex(replayId)))
                .body("subscriptions.find { it.topic == '" + TOPIC + "' }.leaseOwner", notNullValue());
        given().when().get("/admin/cdc").then().statusCode(401);
    }

    @Test
    void aGapEventStartsAnIncrementalSyncOfItsObject() throws Exception {
        start();
        Instant t0 = Instant.now().minusSeconds(1);
        fake.publish(TOPIC, PubSubFake.leadChange("GAP_UPDATE", "00Q5g00000GAP" + (int) (Math.random() * 90000 + 10000),
                "", PERSON, Instant.now().toEpochMilli(), Map.of()));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM sync_job WHERE crm = 'salesforce'"
                + " AND object_type = 'leads' AND mode = 'incremental' AND started_at >= $1",
                t0.atOffset(ZoneOffset.UTC)) == 1);
    }

    @Test
    void aRefusedReplayIdFallsBackToEarliestAndSyncsTheGap() throws Exception {
        sql("INSERT INTO cdc_subscription (topic, replay_id, replayed_at) VALUES ($1, $2, now() - interval '1 hour')",
                TOPIC, Buffer.buffer(new byte[] {(byte) 0xde, (byte) 0xad}));
        Instant t0 = Instant.now().minusSeconds(1);
        start();
        assertEquals(ReplayPreset.CUSTOM, fake.fetchRequests.get(0).replayPreset());
        assertEquals(ReplayPreset.EARLIEST, fake.fetchRequests.get(1).replayPreset(), "the configured fallback");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM sync_job WHERE crm = 'salesforce'"
                + " AND object_type = 'leads' AND started_at >= $1", t0.atOffset(ZoneOffset.UTC)) == 1);
        assertEquals(0, count("SELECT count(*) FROM cdc_subscription WHERE topic = $1 AND replay_id IS NOT NULL",
                TOPIC), "the refused replay id is forgotten");
    }

    @Test
    void neverMoreEventsArriveThanWereRequestedAndConsumedOnesAreRequestedAgain() throws Exception {
        start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            String id = "00Q5g" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
            ids.add(id);
            fake.publish(TOPIC, PubSubFake.leadChange("UPDATE", id, PERSON_ORIGIN, PERSON,
                    Instant.now().toEpochMilli(), Map.of("Status", "Working - Contacted")));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT count(*) FROM webhook_event "
                + "WHERE object_id = ANY($1)", (Object) ids.toArray(String[]::new)) == 7);
        assertEquals(0, fake.overSent.get());
        assertTrue(fake.fetchRequests.stream().allMatch(r -> r.numRequested() <= 2), "batch size 2 in tests");
        assertTrue(fake.fetchRequests.size() >= 4, "re-requested as events were consumed: " + fake.fetchRequests.size());
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT events FROM cdc_subscription WHERE topic = $1",
                TOPIC) == 7);
        // a keepalive names the last event already stored: the replay position stays where it is
        byte[] last = (byte[]) pool.preparedQuery("SELECT replay_id FROM cdc_subscription WHERE topic = $1")
                .execute(Tuple.of(TOPIC)).map(r -> r.iterator().next().getBuffer(0).getBytes()).await()
                .atMost(Duration.ofSeconds(5));
        fake.keepalive();
        assertEquals(6, PubSubFake.position(last), "the seventh event's replay id");
    }
}
