package com.revops.gateway.webhooks;

import java.nio.charset.StandardCharsets;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestResponse;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.config.GatewayConfig;
import com.revops.platform.web.ProblemException;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * Salesforce outbound messages (workflow or flow actions): the organization is verified, every notification is
 * stored (deduplicated on its Id), and Salesforce gets its {@code Ack}.
 */
@Path("/webhooks/salesforce/outbound")
@PermitAll
@Tag(name = "Webhooks", description = "Deliveries from the CRMs, verified by their signatures")
public class SalesforceOutboundResource {

    private final SalesforceOutboundParser parser;
    private final WebhookStore store;
    private final GatewayConfig config;

    public SalesforceOutboundResource(GatewayConfig config, WebhookStore store, ObjectMapper mapper) {
        this.config = config;
        this.store = store;
        this.parser = new SalesforceOutboundParser(mapper, config.webhooks().maxEvents());
    }

    @POST
    @Consumes({MediaType.TEXT_XML, "application/soap+xml", MediaType.APPLICATION_XML})
    @Produces(MediaType.TEXT_XML)
    @Operation(summary = "Receive a Salesforce outbound message (SOAP 1.1, up to 100 notifications)")
    @APIResponse(responseCode = "200", description = "Stored; the SOAP answer carries Ack true")
    @APIResponse(responseCode = "400", description = "Not an outbound message; nothing stored")
    @APIResponse(responseCode = "403", description = "Another organization's message; nothing stored")
    @APIResponse(responseCode = "413", description = "Too many notifications or too large; nothing stored")
    public Uni<RestResponse<String>> receive(byte[] body, HttpHeaders headers) {
        if (body == null || body.length == 0) {
            throw new ProblemException.BadRequest("empty body");
        }
        if (body.length > config.webhooks().maxBodyBytes()) {
            throw new ProblemException(413, "payload-too-large",
                    "a message may carry at most " + config.webhooks().maxBodyBytes() + " bytes", null);
        }
        SalesforceOutboundParser.Parsed parsed;
        try {
            parsed = parser.parse(body);
        } catch (SalesforceOutboundParser.Rejected e) {
            throw new ProblemException.BadRequest(e.getMessage());
        }
        String expected = config.salesforce().orgId().orElse(null);
        if (expected == null || !sameOrg(expected, parsed.organizationId())) {
            Log.warnf("Salesforce outbound message from organization %s refused", parsed.organizationId());
            throw new ProblemException(403, "unknown-organization",
                    "messages from this organization are not accepted", null);
        }
        String headersJson = "{\"content-type\":\"" + String.valueOf(headers.getHeaderString("Content-Type"))
                .replace("\"", "") + "\"}";
        return store.store("salesforce", headersJson, new String(body, StandardCharsets.UTF_8), parsed.events())
                .map(receipt -> RestResponse.ok(SalesforceOutboundParser.ack(true)));
    }

    /** 15- and 18-character Salesforce ids name the same org when their first 15 characters agree. */
    static boolean sameOrg(String a, String b) {
        if (a == null || b == null || a.length() < 15 || b.length() < 15) {
            return false;
        }
        return a.substring(0, 15).equals(b.substring(0, 15));
    }
}
