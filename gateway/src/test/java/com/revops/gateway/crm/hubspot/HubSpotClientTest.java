package com.revops.gateway.crm.hubspot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.crm.hubspot.HubSpotIncrementalReader.Cursor;
import com.revops.gateway.crm.hubspot.HubSpotModels.BatchResult;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Tier;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import okhttp3.mockwebserver.MockWebServer;

/** Our HubSpot client against a fake that behaves like HubSpot's documented API, failures included. */
class HubSpotClientTest {

    static final Duration WAIT = Duration.ofSeconds(120);

    MockWebServer server;
    HubSpotFake fake;
    Vertx vertx;
    WebClient web;

    @BeforeEach
    void start() throws IOException {
        fake = new HubSpotFake();
        server = new MockWebServer();
        server.setDispatcher(fake);
        server.start();
        vertx = Vertx.vertx();
        web = WebClient.create(vertx);
    }

    @AfterEach
    void stop() throws IOException {
        web.close();
        vertx.closeAndAwait();
        server.shutdown();
    }

    HubSpotClient client(HubSpotTokens tokens, int searchPerSecond) {
        String base = server.url("/").toString();
        return new HubSpotClient(web, base, tokens,
                new HubSpotRateLimiter(Tier.PROFESSIONAL_ENTERPRISE, 0.9, searchPerSecond, ZoneOffset.UTC),
                new ObjectMapper(), Duration.ofSeconds(5), 4);
    }

    HubSpotClient client() {
        return client(HubSpotTokens.privateApp("token-1"), 5);
    }

    void seedContacts(int n, java.util.function.IntFunction<Long> modifiedAt) {
        for (int i = 1; i <= n; i++) {
            Map<String, String> props = new HashMap<>();
            props.put("email", "c" + i + "@example.com");
            props.put("lastmodifieddate", Long.toString(modifiedAt.apply(i)));
            fake.contacts.put((long) i, props);
        }
    }

    @Test
    void batchReadIsCutIntoHundredsAndA207SurfacesTheMissingIds() {
        seedContacts(250, i -> 1_000L);
        List<String> ids = new ArrayList<>();
        IntStream.rangeClosed(1, 253).forEach(i -> ids.add(Integer.toString(i))); // 251..253 do not exist
        BatchResult result = client().batchRead("contacts", ids, List.of("email")).await().atMost(WAIT);
        assertEquals(250, result.results().size());
        assertTrue(result.partial());
        assertEquals(List.of("251", "252", "253"), result.errors().get(0).ids());
        assertEquals("OBJECT_NOT_FOUND", result.errors().get(0).category());
        assertEquals(3, fake.paths.stream().filter(p -> p.contains("batch/read")).count(), "100 + 100 + 53");
    }

    @Test
    void a429AndThenA500AreRetriedUntilTheAnswerComes() {
        seedContacts(1, i -> 1_000L);
        fake.failNext(HubSpotFake.rateLimited("SECONDLY"), HubSpotFake.serverError());
        long started = System.nanoTime();
        BatchResult result = client().batchRead("contacts", List.of("1"), List.of("email")).await().atMost(WAIT);
        assertEquals("c1@example.com", result.results().get(0).property("email"));
        assertEquals(3, fake.paths.size(), "429, 500, then 200");
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 1000,
                "the secondly policy's wait (1 s x attempt) was respected");
    }

    @Test
    void persistentServerErrorsFailAfterTheLastAttempt() {
        fake.failNext(HubSpotFake.serverError(), HubSpotFake.serverError(), HubSpotFake.serverError(),
                HubSpotFake.serverError());
        HubSpotException e = assertThrows(HubSpotException.class,
                () -> client().batchRead("contacts", List.of("1"), List.of("email")).await().atMost(WAIT));
        assertEquals(500, e.status());
        assertTrue(e.transientFailure());
        assertEquals(4, fake.paths.size());
    }

    @Test
    void validationErrorsAreNotRetried() {
        fake.failNext(HubSpotFake.json(400, "{\"status\":\"error\",\"message\":\"Property values were not valid\","
                + "\"correlationId\":\"c-1\",\"category\":\"VALIDATION_ERROR\"}"));
        HubSpotException e = assertThrows(HubSpotException.class,
                () -> client().update("contacts", "1", Map.of("hs_lead_status", "NOPE")).await().atMost(WAIT));
        assertEquals("VALIDATION_ERROR", e.category());
        assertEquals("c-1", e.correlationId());
        assertEquals(1, fake.paths.size());
    }

    @Test
    void anExpiredOAuthTokenIsRefreshedOnceAndTheCallReplayed() {
        seedContacts(1, i -> 1_000L);
        fake.validToken = "token-2"; // our cached token-1 has expired on HubSpot's side
        HubSpotOAuthTokens tokens = new HubSpotOAuthTokens(web, server.url("/").toString().replaceAll("/$", ""),
                "client", "secret", "refresh-1");
        HubSpotClient client = client(tokens, 5);
        BatchResult result = client.batchRead("contacts", List.of("1"), List.of("email")).await().atMost(WAIT);
        assertEquals(1, result.results().size());
        assertEquals(1, fake.tokenRefreshes.get());
    }

    @Test
    void searchReadsPastTheTenThousandCapWithoutMissingOrRepeatingARecord() {
        // 26,000 contacts; 12,000 of them share one timestamp, more than a single search window can hold
        seedContacts(26_000, i -> i <= 7_000 ? 1_000L + i : i <= 19_000 ? 50_000L : 50_000L + i);
        HubSpotClient client = client(HubSpotTokens.privateApp("token-1"), 10_000);
        Set<String> seen = new HashSet<>();
        List<String> repeated = new ArrayList<>();
        var outcome = new HubSpotIncrementalReader(client).read("contacts", List.of("email"),
                new Cursor(Instant.EPOCH, null, Instant.ofEpochMilli(10_000_000L)),
                page -> {
                    page.records().forEach(o -> {
                        if (!seen.add(o.id())) {
                            repeated.add(o.id());
                        }
                    });
                    return Uni.createFrom().voidItem();
                }).await().atMost(WAIT);
        assertEquals(List.of(), repeated);
        assertEquals(26_000, seen.size());
        assertEquals(26_000, outcome.read());
        assertEquals("26000", outcome.last().sinceId());
        assertTrue(fake.paths.stream().noneMatch(p -> p.contains("400")), "never paged past the cap");
    }

    @Test
    void searchRespectsTheFrozenUpperBound() {
        seedContacts(300, i -> i <= 200 ? 1_000L + i : 900_000L);
        HubSpotClient client = client(HubSpotTokens.privateApp("token-1"), 10_000);
        Set<String> seen = new HashSet<>();
        new HubSpotIncrementalReader(client).read("contacts", List.of("email"),
                new Cursor(Instant.EPOCH, null, Instant.ofEpochMilli(5_000L)),
                page -> {
                    page.records().forEach(o -> seen.add(o.id()));
                    return Uni.createFrom().voidItem();
                }).await().atMost(WAIT);
        assertEquals(200, seen.size());
    }

    @Test
    void ownersAreReadAcrossPages() {
        for (int i = 0; i < 230; i++) {
            fake.owners.add(Map.of("id", Integer.toString(100 + i), "email", "rep" + i + "@example.com",
                    "firstName", "Rep", "lastName", Integer.toString(i), "userId", 9000 + i, "archived", false,
                    "teams", List.of(Map.of("id", "7", "name", "East", "primary", true))));
        }
        var owners = client().owners().await().atMost(WAIT);
        assertEquals(230, owners.size());
        assertEquals(List.of("7"), owners.get(229).teamIds());
    }

    @Test
    void associationsV4AreMappedPerSourceId() {
        fake.contactCompanies.put("1", List.of("501", "502"));
        var map = client().associations("contacts", "companies", List.of("1", "2")).await().atMost(WAIT);
        assertEquals(List.of("501", "502"), map.get("1"));
        assertEquals(null, map.get("2"));
    }
}
