package com.revops.gateway.webhooks;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.webhooks.HubSpotSignatureVerifier.Outcome;
import com.revops.platform.web.ProblemException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * HubSpot webhook deliveries: verified by signature (not by Keycloak), validated, stored durably as one row, then
 * acknowledged. The answer never waits for the CRM API, the broker or the events' own rows: the split into events
 * ({@link DeliverySplitter}, deduplication included), enrichment and publishing happen afterwards, from the stored
 * delivery.
 */
@Path("/webhooks/hubspot")
@PermitAll
@Tag(name = "Webhooks", description = "Deliveries from the CRMs, verified by their signatures")
public class HubSpotWebhookResource {

    private final HubSpotSignatureVerifier verifier;
    private final HubSpotWebhookParser parser;
    private final WebhookStore store;
    private final GatewayConfig config;

    public HubSpotWebhookResource(GatewayConfig config, WebhookStore store, ObjectMapper mapper) {
        this.config = config;
        this.store = store;
        this.verifier = new HubSpotSignatureVerifier(config.hubspot().clientSecret().orElse(null),
                config.hubspot().signatureVersions(), config.hubspot().maxTimestampAge().toMillis());
        this.parser = new HubSpotWebhookParser(mapper, config.webhooks().maxEvents());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receive a HubSpot webhook delivery (a JSON array of up to 100 events)",
            description = "Signature v3 (or v1/v2 when enabled) over the public URL; 5-minute timestamp window. "
                    + "The delivery (raw body, headers, received time) is stored durably before the 200; its events "
                    + "are split from it right afterwards, deduplicated on (portalId, subscriptionId, eventId, "
                    + "occurredAt), unknown subscription types stored and marked ignored. The answer therefore counts "
                    + "the events accepted, not yet the stored, duplicate and ignored ones (recorded on the delivery "
                    + "once split).")
    @RequestBody(description = "HubSpot events")
    @APIResponse(responseCode = "200", description = "Delivery stored; its events will be split from it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = WebhookStore.Accepted.class),
                    examples = @ExampleObject(name = "accepted",
                            value = "{\"deliveryId\":\"019ab3c2-7f10-7a3e-9c41-2b5d8e6f0a12\",\"accepted\":100}")))
    @APIResponse(responseCode = "400", description = "Not a JSON array of events; nothing stored")
    @APIResponse(responseCode = "401", description = "Missing or invalid signature, or stale timestamp; nothing stored")
    @APIResponse(responseCode = "413", description = "More than 100 events or a body over 1 MiB; nothing stored")
    @APIResponse(responseCode = "503", description = "The delivery could not be stored (database unavailable); "
            + "HubSpot retries it")
    public Uni<WebhookStore.Accepted> receive(byte[] body, HttpHeaders headers, UriInfo uri) {
        if (body == null) {
            body = new byte[0];
        }
        if (body.length > config.webhooks().maxBodyBytes()) {
            throw new ProblemException(413, "payload-too-large",
                    "a delivery may carry at most " + config.webhooks().maxBodyBytes() + " bytes", null);
        }
        String rawQuery = uri.getRequestUri().getRawQuery();
        String signedUri = config.publicUrl() + uri.getRequestUri().getRawPath()
                + (rawQuery == null ? "" : "?" + rawQuery);
        Outcome outcome = verifier.verify("POST", signedUri, body, new HubSpotSignatureVerifier.Headers(
                headers.getHeaderString("X-HubSpot-Signature-v3"),
                headers.getHeaderString("X-HubSpot-Request-Timestamp"),
                headers.getHeaderString("X-HubSpot-Signature"),
                headers.getHeaderString("X-HubSpot-Signature-Version")), System.currentTimeMillis());
        if (outcome != Outcome.VALID) {
            Log.warnf("HubSpot webhook refused: %s", outcome);
            throw new ProblemException(401, "invalid-signature", switch (outcome) {
                case MISSING_HEADER -> "signature headers are missing";
                case STALE_TIMESTAMP -> "X-HubSpot-Request-Timestamp is outside the 5-minute window";
                case VERSION_NOT_ACCEPTED -> "this signature version is not accepted";
                case NO_SECRET_CONFIGURED -> "HubSpot webhooks are not configured (HUBSPOT_CLIENT_SECRET)";
                default -> "the signature does not match";
            }, null);
        }
        List<IncomingEvent> events;
        try {
            // the whole validation, streaming: what passes here is what the splitter can split
            events = parser.parse(body);
        } catch (HubSpotWebhookParser.Rejected e) {
            throw new ProblemException(e.status(), e.status() == 413 ? "payload-too-large" : "bad-request",
                    e.getMessage(), null);
        }
        return store.storeHubSpotDelivery(headersJson(headers),
                new String(body, java.nio.charset.StandardCharsets.UTF_8), events.size())
                .onFailure().transform(e -> {
                    // not committed: an honest 5xx, and HubSpot delivers it again
                    Log.errorf("HubSpot delivery not stored: %s", e.getMessage());
                    return new ProblemException(503, "unavailable",
                            "the delivery could not be stored; it can be delivered again", null);
                });
    }

    /** The headers kept with the delivery, as a JSON object written by hand (this runs once per delivery). */
    static String headersJson(HttpHeaders headers) {
        Map<String, String> kept = new TreeMap<>();
        headers.getRequestHeaders().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("x-hubspot") || lower.equals("user-agent") || lower.equals("content-type")) {
                kept.put(lower, String.join(",", values));
            }
        });
        StringBuilder json = new StringBuilder(256).append('{');
        kept.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            jsonString(json, name).append(':');
            jsonString(json, value);
        });
        return json.append('}').toString();
    }

    static StringBuilder jsonString(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"');
    }
}
