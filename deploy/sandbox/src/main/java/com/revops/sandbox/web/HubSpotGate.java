package com.revops.sandbox.web;

import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.revops.sandbox.Simulator;
import com.revops.sandbox.core.ApiException;
import com.revops.sandbox.core.HubSpotErrors;
import com.revops.sandbox.core.Sandbox;
import com.revops.sandbox.core.Tokens;

/**
 * What every HubSpot API call goes through, in HubSpot's order: injected latency and 5xx faults, the bearer token
 * (the private-app token, or an OAuth token from {@code /oauth/v1/token} that may have expired), then the rate
 * limits; the {@code X-HubSpot-RateLimit-*} headers go on the answer whatever it is.
 */
@ApplicationScoped
public class HubSpotGate {

    private final Simulator simulator;

    public HubSpotGate(Simulator simulator) {
        this.simulator = simulator;
    }

    public Response handle(HttpHeaders headers, boolean search, Supplier<Response.ResponseBuilder> work) {
        Sandbox s = simulator.sandbox();
        s.stats().increment("hubspot.requests");
        Faulted.sleep(s.faults().latency("hubspot"));
        long now = s.now();
        int injected = s.faults().takeError("hubspot");
        if (injected > 0) {
            s.stats().increment("hubspot.injected5xx");
            return json(injected, HubSpotErrors.body("INTERNAL_ERROR", "internal error", null),
                    s.hubspotLimits().peek(search, now));
        }
        String token = Faulted.bearer(headers);
        if (token == null) {
            return refuse(s, search, now, "INVALID_AUTHENTICATION", "Authentication credentials not found. This API "
                    + "supports OAuth 2.0 authentication and you can find more details at "
                    + "https://developers.hubspot.com/docs/methods/auth/oauth-overview");
        }
        if (!simulator.privateAppToken(token)) {
            Tokens.State state = s.tokens().check("hubspot", token, now);
            if (state == Tokens.State.EXPIRED) {
                return refuse(s, search, now, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call "
                        + "expired " + Math.max(1, s.tokens().expiredAgo(token, now) / 1000) + " second(s) ago.");
            }
            if (state != Tokens.State.VALID) {
                return refuse(s, search, now, "INVALID_AUTHENTICATION",
                        "Authentication credentials not found or invalid.");
            }
        }
        Map<String, String> limitHeaders;
        try {
            limitHeaders = s.hubspotLimits().acquire(search, now);
        } catch (ApiException e) {
            s.stats().increment("hubspot.429");
            return json(e.status(), e.body(), e.headers());
        }
        try {
            Response.ResponseBuilder b = work.get();
            limitHeaders.forEach(b::header);
            return b.build();
        } catch (ApiException e) {
            s.stats().increment("hubspot.errors." + e.status());
            return json(e.status(), e.body(), limitHeaders);
        }
    }

    private static Response refuse(Sandbox s, boolean search, long now, String category, String message) {
        s.stats().increment("hubspot.401");
        return json(401, HubSpotErrors.body(category, message, null), s.hubspotLimits().peek(search, now));
    }

    static Response json(int status, Object body, Map<String, String> headers) {
        Response.ResponseBuilder b = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        headers.forEach(b::header);
        return b.build();
    }
}
