package com.revops.gateway.crm.hubspot;

import java.time.Duration;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.MultiMap;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * OAuth 2.0 access tokens of a public HubSpot app, refreshed with the refresh token ({@code POST /oauth/v1/token},
 * {@code grant_type=refresh_token}) a minute before they expire or when HubSpot refuses one.
 */
public final class HubSpotOAuthTokens implements HubSpotTokens {

    private final WebClient web;
    private final String baseUrl;
    private final String clientId;
    private final String clientSecret;
    private final String refreshToken;
    private volatile String accessToken;
    private volatile long expiresAtMillis;

    public HubSpotOAuthTokens(WebClient web, String baseUrl, String clientId, String clientSecret,
            String refreshToken) {
        this.web = web;
        this.baseUrl = baseUrl;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.refreshToken = refreshToken;
    }

    @Override
    public Uni<String> token() {
        String current = accessToken;
        if (current != null && System.currentTimeMillis() < expiresAtMillis - 60_000) {
            return Uni.createFrom().item(current);
        }
        MultiMap form = MultiMap.caseInsensitiveMultiMap()
                .add("grant_type", "refresh_token")
                .add("client_id", clientId)
                .add("client_secret", clientSecret)
                .add("refresh_token", refreshToken);
        return web.postAbs(baseUrl + "/oauth/v1/token").timeout(Duration.ofSeconds(10).toMillis())
                .sendForm(form)
                .map(response -> {
                    if (response.statusCode() != 200) {
                        throw new HubSpotException(response.statusCode(), "OAUTH", "token refresh refused: "
                                + response.bodyAsString(), null);
                    }
                    JsonObject json = response.bodyAsJsonObject();
                    accessToken = json.getString("access_token");
                    expiresAtMillis = System.currentTimeMillis() + json.getLong("expires_in", 1800L) * 1000;
                    return accessToken;
                });
    }

    @Override
    public void invalidate() {
        accessToken = null;
    }
}
