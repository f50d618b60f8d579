package com.revops.gateway.crm.salesforce;

import java.io.IOException;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Obtains and caches the OAuth access token, by client credentials or JWT bearer, from
 * {@code {loginUrl}/services/oauth2/token}. Neither flow returns a refresh token or a usable expiry, so the token is
 * kept until the REST API rejects it; the client then calls {@link #invalidate(AccessToken)} and asks again.
 */
final class SalesforceAuthenticator {

    static final String JWT_BEARER_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    /** An access token and the org's instance URL, which every REST call must use instead of the login URL. */
    record AccessToken(String value, HttpUrl instanceUrl) {

        /** Keeps the bearer token out of logs. */
        @Override
        public String toString() {
            return "AccessToken[instanceUrl=" + instanceUrl + "]";
        }
    }

    private final SalesforceConfig config;
    private final OkHttpClient http;
    private final ObjectMapper mapper;
    private final Clock clock;
    private final HttpUrl tokenUrl;
    /** Parsed once so a bad key fails at start-up; null for client credentials. */
    private final PrivateKey jwtKey;

    private AccessToken current; // guarded by this

    SalesforceAuthenticator(SalesforceConfig config, OkHttpClient http, ObjectMapper mapper, Clock clock) {
        this.config = config;
        this.http = http;
        this.mapper = mapper;
        this.clock = clock;
        HttpUrl login = HttpUrl.get(config.loginUrl());
        this.tokenUrl = login.resolve("/services/oauth2/token");
        this.jwtKey = config.grantType() == SalesforceConfig.GrantType.JWT_BEARER
                ? SalesforceJwt.readPrivateKey(config.privateKeyPem())
                : null;
    }

    /**
     * The cached token, fetching one first if there is none. Synchronised on purpose: when a token expires under
     * many worker threads, one of them fetches and the others wait for it instead of all hitting the token endpoint.
     */
    synchronized AccessToken token() {
        if (current == null) {
            current = fetch();
        }
        return current;
    }

    /**
     * Forgets {@code stale} so the next {@link #token()} fetches a new one. Does nothing when another thread already
     * replaced it, so concurrent 401s cause a single refresh.
     */
    synchronized void invalidate(AccessToken stale) {
        if (current == stale) {
            current = null;
        }
    }

    private AccessToken fetch() {
        FormBody.Builder form = new FormBody.Builder();
        if (config.grantType() == SalesforceConfig.GrantType.CLIENT_CREDENTIALS) {
            form.add("grant_type", "client_credentials")
                    .add("client_id", config.clientId())
                    .add("client_secret", config.clientSecret());
        } else {
            form.add("grant_type", JWT_BEARER_GRANT)
                    .add("assertion", SalesforceJwt.assertion(mapper, jwtKey, config.clientId(), config.username(),
                            config.loginUrl(), clock.instant()));
        }
        Request request = new Request.Builder().url(tokenUrl).post(form.build())
                .header("Accept", "application/json").build();
        int status;
        String body;
        try (Response response = http.newCall(request).execute()) {
            status = response.code();
            body = response.body() == null ? "" : response.body().string();
        } catch (IOException e) {
            throw new SalesforceUnavailableException(SalesforceException.NO_RESPONSE,
                    List.of(new SalesforceError(null, "token request failed: " + e, List.of())), e);
        }
        if (status >= 500) {
            throw new SalesforceUnavailableException(status, SalesforceErrors.parse(mapper, body), null);
        }
        if (status >= 400) {
            // invalid_grant, invalid_client, unsupported_grant_type...: our credentials, not a transient failure.
            throw new SalesforceAuthException(status, SalesforceErrors.parse(mapper, body));
        }
        return readToken(status, body);
    }

    private AccessToken readToken(int status, String body) {
        JsonNode root;
        try {
            root = mapper.readTree(body);
        } catch (IOException | RuntimeException e) {
            root = null;
        }
        String token = SalesforceErrors.text(root, "access_token");
        String instance = SalesforceErrors.text(root, "instance_url");
        HttpUrl instanceUrl = instance == null ? null : HttpUrl.parse(instance);
        if (token == null || instanceUrl == null) {
            throw new SalesforceAuthException(status, List.of(new SalesforceError(null,
                    "token answer without access_token or a valid instance_url", List.of())));
        }
        return new AccessToken(token, instanceUrl);
    }
}
