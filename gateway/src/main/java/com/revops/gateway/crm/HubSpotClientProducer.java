package com.revops.gateway.crm;

import java.time.ZoneId;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.hubspot.HubSpotClient;
import com.revops.gateway.crm.hubspot.HubSpotOAuthTokens;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter;
import com.revops.gateway.crm.hubspot.HubSpotTokens;

import io.quarkus.logging.Log;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

/** Builds the HubSpot client from configuration: private-app token or OAuth refresh, tier budgets, base URL. */
@ApplicationScoped
public class HubSpotClientProducer {

    @Produces
    @ApplicationScoped
    HubSpotClient hubSpotClient(Vertx vertx, GatewayConfig config, ObjectMapper mapper) {
        GatewayConfig.HubSpot hs = config.hubspot();
        WebClient web = WebClient.create(vertx, new WebClientOptions().setKeepAlive(true).setMaxPoolSize(16)
                .setUserAgent("revops-gateway"));
        HubSpotTokens tokens;
        if (hs.accessToken().isPresent()) {
            tokens = HubSpotTokens.privateApp(hs.accessToken().get());
        } else if (hs.oauthClientId().isPresent() && hs.oauthRefreshToken().isPresent()
                && hs.clientSecret().isPresent()) {
            tokens = new HubSpotOAuthTokens(web, hs.baseUrl(), hs.oauthClientId().get(), hs.clientSecret().get(),
                    hs.oauthRefreshToken().get());
        } else {
            Log.warn("HubSpot API credentials are not configured (HUBSPOT_ACCESS_TOKEN or OAuth): calls will fail");
            tokens = HubSpotTokens.privateApp("not-configured");
        }
        HubSpotRateLimiter limiter = new HubSpotRateLimiter(HubSpotRateLimiter.Tier.valueOf(hs.tier()),
                hs.headroom(), hs.searchPerSecond(), ZoneId.of(hs.portalTimeZone()));
        return new HubSpotClient(web, hs.baseUrl(), tokens, limiter, mapper, hs.timeout(), hs.maxAttempts());
    }
}
