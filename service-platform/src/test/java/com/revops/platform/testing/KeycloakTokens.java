package com.revops.platform.testing;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Real tokens from the real Keycloak of the machine (started by .ci/run and deploy/local/up.sh with the realm in
 * deploy/keycloak), through the password grant of the public demo client {@code revenue-cli}.
 */
public final class KeycloakTokens {

    /** The demo users of deploy/keycloak/realm-revenue.json. */
    public static final String ADMIN = "alice.admin";
    public static final String MANAGER = "mark.manager";
    public static final String SDR_1 = "sam.sdr";
    public static final String SDR_2 = "sara.sdr";
    public static final String MARKETING = "molly.marketing";
    public static final String DEMO_PASSWORD = "demo";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private KeycloakTokens() {
    }

    public static String keycloakUrl() {
        String v = System.getenv("KEYCLOAK_URL");
        return v == null || v.isBlank() ? "http://localhost:8180" : v;
    }

    public static String accessToken(String username) {
        String form = "grant_type=password&client_id=revenue-cli&username=" + enc(username) + "&password="
                + enc(DEMO_PASSWORD) + "&scope=openid";
        HttpRequest request = HttpRequest.newBuilder(
                URI.create(keycloakUrl() + "/realms/revenue/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("Keycloak refused a token for " + username + ": "
                        + response.statusCode() + " " + response.body());
            }
            JsonNode json = new ObjectMapper().readTree(response.body());
            return json.get("access_token").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Keycloak is not reachable at " + keycloakUrl()
                    + " (.ci/run and deploy/local/up.sh start it)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
