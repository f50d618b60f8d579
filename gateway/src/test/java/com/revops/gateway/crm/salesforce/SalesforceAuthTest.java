package com.revops.gateway.crm.salesforce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.mockwebserver.RecordedRequest;

/** OAuth against the fake: both grants, the JWT's claims and signature, token caching and renewal on 401. */
class SalesforceAuthTest {

    static final KeyPair KEYS = SalesforceFake.newKeyPair();
    static final ObjectMapper MAPPER = new ObjectMapper();

    SalesforceFake fake;
    String leadId;

    @BeforeEach
    void start() throws Exception {
        fake = new SalesforceFake(KEYS.getPublic());
        leadId = fake.insert("Lead", Map.of("LastName", "Martin", "Company", "Acme", "Status",
                "Open - Not Contacted"));
    }

    @AfterEach
    void stop() throws Exception {
        fake.close();
    }

    @Test
    void clientCredentialsTokenIsFetchedOnceAndCallsGoToTheInstanceUrl() {
        try (SalesforceClient client = new SalesforceClient(fake.config().build())) {
            client.getRecord("Lead", leadId, "LastName");
            client.getRecord("Lead", leadId, "Status");
        }

        assertEquals(1, fake.tokenRequests().size(), "the token is cached between calls");
        Map<String, String> form = form(fake.tokenRequests().get(0));
        assertEquals("client_credentials", form.get("grant_type"));
        assertEquals(SalesforceFake.CLIENT_ID, form.get("client_id"));
        assertEquals(SalesforceFake.CLIENT_SECRET, form.get("client_secret"));
        assertEquals("/services/oauth2/token", fake.tokenRequests().get(0).getPath());

        // The fake's instance is a different server from its login URL: the calls must follow instance_url.
        assertNotEquals(fake.loginUrl(), fake.instanceUrl());
        assertEquals(2, fake.apiRequests().size());
        for (RecordedRequest call : fake.apiRequests()) {
            assertEquals("Bearer 00DFAKE!token-1", call.getHeader("Authorization"));
            assertTrue(call.getPath().startsWith("/services/data/v67.0/sobjects/Lead/" + leadId), call.getPath());
        }
    }

    @Test
    void wrongClientSecretIsAnAuthExceptionAndNothingIsCalled() {
        SalesforceConfig config = SalesforceConfig.builder(fake.loginUrl(), SalesforceFake.CLIENT_ID)
                .clientCredentials("not-the-secret").retryBaseDelay(Duration.ofMillis(1)).build();
        try (SalesforceClient client = new SalesforceClient(config)) {
            SalesforceAuthException e = assertThrows(SalesforceAuthException.class,
                    () -> client.getRecord("Lead", leadId));
            assertEquals(400, e.status());
            assertEquals("invalid_client", e.errorCode());
            assertEquals("invalid client credentials", e.salesforceMessage());
        }
        assertEquals(1, fake.tokenRequests().size(), "a refused credential is not retried");
        assertTrue(fake.apiRequests().isEmpty());
    }

    @Test
    void jwtBearerAssertionIsSignedWithRs256AndCarriesTheDocumentedClaims() throws Exception {
        SalesforceConfig config = SalesforceConfig.builder(fake.loginUrl(), SalesforceFake.CLIENT_ID)
                .jwtBearer(SalesforceFake.USERNAME, SalesforceFake.pem(KEYS.getPrivate())).build();
        long before = Instant.now().getEpochSecond();
        try (SalesforceClient client = new SalesforceClient(config)) {
            // The fake refuses the call unless the assertion's signature and claims check out.
            assertEquals("Martin", client.getRecord("Lead", leadId, "LastName").get("LastName"));
        }

        Map<String, String> form = form(fake.tokenRequests().get(0));
        assertEquals("urn:ietf:params:oauth:grant-type:jwt-bearer", form.get("grant_type"));
        assertNull(form.get("client_secret"), "the JWT flow does not send the secret");
        String[] parts = form.get("assertion").split("\\.");
        assertEquals(3, parts.length);
        JsonNode header = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[0]));
        JsonNode claims = MAPPER.readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertEquals("RS256", header.path("alg").asText());
        assertEquals(SalesforceFake.CLIENT_ID, claims.path("iss").asText());
        assertEquals(SalesforceFake.USERNAME, claims.path("sub").asText());
        assertEquals(fake.loginUrl(), claims.path("aud").asText());
        long exp = claims.path("exp").asLong();
        assertTrue(exp > before && exp <= Instant.now().getEpochSecond() + 180, "exp at most 3 minutes ahead: " + exp);
        assertNull(fake.verifyAssertion(form.get("assertion")));
    }

    @Test
    void jwtSignedWithAnotherKeyIsRefused() {
        SalesforceConfig config = SalesforceConfig.builder(fake.loginUrl(), SalesforceFake.CLIENT_ID)
                .jwtBearer(SalesforceFake.USERNAME, SalesforceFake.pem(SalesforceFake.newKeyPair().getPrivate()))
                .build();
        try (SalesforceClient client = new SalesforceClient(config)) {
            SalesforceAuthException e = assertThrows(SalesforceAuthException.class,
                    () -> client.getRecord("Lead", leadId));
            assertEquals("invalid_grant", e.errorCode());
            assertTrue(e.salesforceMessage().contains("signature"), e.salesforceMessage());
        }
        assertTrue(fake.apiRequests().isEmpty());
    }

    @Test
    void jwtIsDatedWithTheClientsClockSoAStaleClockGivesAnExpiredAssertion() {
        SalesforceConfig config = SalesforceConfig.builder(fake.loginUrl(), SalesforceFake.CLIENT_ID)
                .jwtBearer(SalesforceFake.USERNAME, SalesforceFake.pem(KEYS.getPrivate())).build();
        Clock tenMinutesBehind = Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10));
        try (SalesforceClient client = new SalesforceClient(config, SalesforceClient.defaultMapper(),
                tenMinutesBehind)) {
            SalesforceAuthException e = assertThrows(SalesforceAuthException.class,
                    () -> client.getRecord("Lead", leadId));
            assertEquals("invalid_grant", e.errorCode());
            assertTrue(e.salesforceMessage().contains("exp"), e.salesforceMessage());
        }
    }

    @Test
    void pkcs1KeyIsRefusedAtConstructionWithAHint() {
        SalesforceConfig config = SalesforceConfig.builder(fake.loginUrl(), SalesforceFake.CLIENT_ID)
                .jwtBearer(SalesforceFake.USERNAME,
                        "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----")
                .build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SalesforceClient(config));
        assertTrue(e.getMessage().contains("openssl pkcs8"), e.getMessage());
    }

    @Test
    void expiredSessionIsRenewedOnceAndTheRequestReplayed() throws Exception {
        try (SalesforceClient client = new SalesforceClient(fake.config().build())) {
            client.updateRecord("Lead", leadId, Map.of("Status", "Working - Contacted"));
            fake.expireSessions();
            client.updateRecord("Lead", leadId, Map.of("Status", "Closed - Not Converted"));
        }

        assertEquals(2, fake.tokenRequests().size(), "exactly one renewal");
        List<RecordedRequest> calls = fake.apiRequests();
        assertEquals(3, calls.size(), "first update, refused replay of the old token, replay with the new one");
        RecordedRequest refused = calls.get(1);
        RecordedRequest replayed = calls.get(2);
        assertEquals("Bearer 00DFAKE!token-1", refused.getHeader("Authorization"));
        assertEquals("Bearer 00DFAKE!token-2", replayed.getHeader("Authorization"));
        assertEquals(refused.getMethod(), replayed.getMethod());
        assertEquals(refused.getPath(), replayed.getPath());
        assertEquals(refused.getBody().clone().readUtf8(), replayed.getBody().clone().readUtf8());
        assertEquals("Closed - Not Converted", fake.record("Lead", leadId).get("Status"));
    }

    @Test
    void unauthorizedAgainAfterRenewalIsAnAuthException() {
        fake.refuseAllSessions();
        try (SalesforceClient client = new SalesforceClient(fake.config().build())) {
            SalesforceAuthException e = assertThrows(SalesforceAuthException.class,
                    () -> client.getRecord("Lead", leadId));
            assertEquals(401, e.status());
            assertEquals("INVALID_SESSION_ID", e.errorCode());
        }
        assertEquals(2, fake.tokenRequests().size(), "one renewal, not a loop");
        assertEquals(2, fake.apiRequests().size());
    }

    @Test
    void configNeverPrintsTheSecrets() {
        SalesforceConfig config = SalesforceConfig.builder(fake.loginUrl(), SalesforceFake.CLIENT_ID)
                .jwtBearer(SalesforceFake.USERNAME, SalesforceFake.pem(KEYS.getPrivate())).build();
        assertFalse(config.toString().contains("BEGIN PRIVATE KEY"), config.toString());
        SalesforceConfig cc = fake.config().build();
        assertFalse(cc.toString().contains(SalesforceFake.CLIENT_SECRET), cc.toString());
    }

    private static Map<String, String> form(RecordedRequest request) {
        Map<String, String> form = new HashMap<>();
        for (String pair : request.getBody().clone().readUtf8().split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
                    URLDecoder.decode(kv.length > 1 ? kv[1] : "", StandardCharsets.UTF_8));
        }
        return form;
    }
}
