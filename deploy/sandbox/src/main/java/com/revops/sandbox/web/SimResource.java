package com.revops.sandbox.web;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.databind.JsonNode;
import com.revops.sandbox.Simulator;
import com.revops.sandbox.core.Sandbox;
import com.revops.sandbox.core.WriteJournal;

/**
 * The simulator's own API: the seeded organisation, the driving operations of a scenario (each changes the CRM and
 * is delivered to the gateway as the CRM would), the write journal, counters, delivery outcomes and the fault
 * switches. Errors are {@code application/problem+json}. Open unless {@code SIM_ADMIN_TOKEN} is set: the simulator
 * stands in for an external SaaS on a developer machine and must run without Keycloak.
 */
@Path("/_sim")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Simulator", description = "Drive the simulated CRMs and inspect what the gateway did")
public class SimResource {

    private final Simulator simulator;

    public SimResource(Simulator simulator) {
        this.simulator = simulator;
    }

    // ------------------------------------------------------------------------------------------------ inspect

    @GET
    @Path("org")
    @Operation(summary = "The seeded organisation: owners with teams (both CRMs), campaigns, identities, counts")
    @APIResponse(responseCode = "200", description = "The organisation")
    public Map<String, Object> org(@Context HttpHeaders headers) {
        guard(headers);
        Sandbox s = sandbox();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("seed", s.org().seed());
        out.put("hubspot", Map.of("portalId", s.identity().portalId(), "appId", s.identity().appId()));
        Map<String, Object> sf = new LinkedHashMap<>();
        sf.put("organizationId", simulator.orgId());
        sf.put("apiVersion", s.identity().apiVersion());
        sf.put("integrationUserId", s.org().integrationUserId());
        sf.put("integrationUsername", s.org().integrationUsername());
        sf.put("leadQueueId", s.org().leadQueueId());
        sf.put("leadStatuses", s.salesforce().leadStatuses());
        out.put("salesforce", sf);
        out.put("teams", s.org().teams());
        out.put("owners", s.org().owners());
        out.put("campaigns", s.org().campaigns());
        Map<String, Object> counts = new LinkedHashMap<>();
        for (String t : List.of("contacts", "companies", "deals", "calls", "emails", "meetings", "tasks")) {
            counts.put("hubspot." + t, s.hubspot().count(t));
        }
        for (String t : List.of("Lead", "Contact", "Account", "Opportunity", "OpportunityHistory", "Task", "Event",
                "Campaign", "CampaignMember", "User")) {
            counts.put("salesforce." + t, s.salesforce().count(t));
        }
        out.put("counts", counts);
        return out;
    }

    @GET
    @Path("writes")
    @Operation(summary = "The write journal: every write the gateway made, filtered by objectId, kind and crm")
    @APIResponse(responseCode = "200", description = "Entries, oldest first")
    @APIResponse(responseCode = "400", description = "Unknown kind")
    public Map<String, Object> writes(@QueryParam("objectId") String objectId, @QueryParam("kind") String kind,
            @QueryParam("crm") String crm, @QueryParam("after") Long after, @QueryParam("limit") Integer limit,
            @Context HttpHeaders headers) {
        guard(headers);
        if (kind != null && !WriteJournal.KINDS.contains(kind)) {
            throw new IllegalArgumentException("kind must be one of " + WriteJournal.KINDS);
        }
        int max = limit == null ? 1000 : limit;
        if (max < 1 || max > 10_000) {
            throw new IllegalArgumentException("limit must be between 1 and 10000");
        }
        List<WriteJournal.Write> found = sandbox().journal().find(objectId, kind, crm, after == null ? 0 : after, max);
        return Map.of("count", found.size(), "lastSeq", sandbox().journal().lastSeq(), "writes", found);
    }

    @GET
    @Path("stats")
    @Operation(summary = "Counters: requests, 401/403/429 answers, injected faults, writes, deliveries")
    @APIResponse(responseCode = "200", description = "Counters and pending deliveries")
    public Map<String, Object> stats(@Context HttpHeaders headers) {
        guard(headers);
        Sandbox s = sandbox();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("counters", s.stats().snapshot());
        Map<String, Long> writes = new LinkedHashMap<>();
        for (String kind : List.of("owner", "status", "task", "create", "fields")) {
            writes.put(kind, (long) s.journal().find(null, kind, null, 0, Integer.MAX_VALUE).size());
        }
        out.put("writes", writes);
        out.put("pendingDeliveries", s.deliveries().pending());
        return out;
    }

    @GET
    @Path("deliveries")
    @Operation(summary = "Outcomes of the latest delivery attempts (DELIVERED, RETRYING, FAILED)")
    @APIResponse(responseCode = "200", description = "Outcomes, newest last, and the number still pending")
    public Map<String, Object> deliveries(@QueryParam("state") String state, @QueryParam("limit") Integer limit,
            @Context HttpHeaders headers) {
        guard(headers);
        return Map.of("pending", sandbox().deliveries().pending(), "outcomes",
                sandbox().deliveries().outcomes(state, limit == null ? 100 : Math.max(1, Math.min(1000, limit))));
    }

    @POST
    @Path("reset")
    @Operation(summary = "Start over with a freshly seeded organisation: {seed} (default: SIM_SEED)")
    @APIResponse(responseCode = "200", description = "The new organisation")
    @APIResponse(responseCode = "400", description = "seed is not a number")
    public Map<String, Object> reset(JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        long seed = simulator.config().seed();
        if (body != null && body.hasNonNull("seed")) {
            if (!body.get("seed").canConvertToLong()) {
                throw new IllegalArgumentException("seed must be a whole number");
            }
            seed = body.get("seed").asLong();
        }
        simulator.reset(seed);
        return org(headers);
    }

    // ------------------------------------------------------------------------------------------------ faults

    @GET
    @Path("faults")
    @Operation(summary = "The faults switched on, and the limit counters")
    @APIResponse(responseCode = "200", description = "Per CRM")
    public Map<String, Object> faults(@Context HttpHeaders headers) {
        guard(headers);
        Sandbox s = sandbox();
        long now = s.now();
        Map<String, Object> hs = new LinkedHashMap<>(s.faults().describe("hubspot"));
        hs.put("rateLimits", s.hubspotLimits().describe(now));
        Map<String, Object> sf = new LinkedHashMap<>(s.faults().describe("salesforce"));
        sf.put("allocation", s.allocation().describe(now));
        return Map.of("hubspot", hs, "salesforce", sf);
    }

    @POST
    @Path("faults/latency")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Add latency to every API call of a CRM: {crm, millis}")
    @APIResponse(responseCode = "200", description = "Set")
    @APIResponse(responseCode = "400", description = "Bad crm or millis")
    public Map<String, Object> latency(JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        String crm = crm(body);
        sandbox().faults().latency(crm, required(body, "millis").asLong());
        return faults(headers);
    }

    @POST
    @Path("faults/errors")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The next N API calls of a CRM answer a 5xx: {crm, count, status (default 503)}")
    @APIResponse(responseCode = "200", description = "Set")
    @APIResponse(responseCode = "400", description = "Bad crm, count or status")
    public Map<String, Object> errors(JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        String crm = crm(body);
        sandbox().faults().errorBurst(crm, required(body, "count").asInt(), body.path("status").asInt(503));
        return faults(headers);
    }

    @POST
    @Path("faults/rate-limit")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Exhaust a limit: {crm: hubspot, policy: TEN_SECONDLY_ROLLING | DAILY} or "
            + "{crm: salesforce} (the daily allocation)")
    @APIResponse(responseCode = "200", description = "Exhausted")
    @APIResponse(responseCode = "400", description = "Bad crm or policy")
    public Map<String, Object> rateLimit(JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        String crm = crm(body);
        Sandbox s = sandbox();
        if ("salesforce".equals(crm)) {
            s.allocation().exhaust();
        } else {
            String policy = body.path("policy").asText("TEN_SECONDLY_ROLLING").toUpperCase(Locale.ROOT);
            switch (policy) {
                case "TEN_SECONDLY_ROLLING" -> s.hubspotLimits().exhaustTenSecondly(s.now());
                case "DAILY" -> s.hubspotLimits().exhaustDaily(s.now());
                default -> throw new IllegalArgumentException("policy must be TEN_SECONDLY_ROLLING or DAILY");
            }
        }
        return faults(headers);
    }

    @POST
    @Path("faults/token-expiry")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Expire every access token a CRM issued so far: {crm}")
    @APIResponse(responseCode = "200", description = "How many tokens expired")
    @APIResponse(responseCode = "400", description = "Bad crm")
    public Map<String, Object> tokenExpiry(JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        String crm = crm(body);
        return Map.of("crm", crm, "expired", sandbox().tokens().expireAll(crm, sandbox().now()));
    }

    @DELETE
    @Path("faults")
    @Operation(summary = "Switch every fault off (latency, 5xx bursts, exhausted limits)")
    @APIResponse(responseCode = "200", description = "Cleared")
    public Map<String, Object> clearFaults(@Context HttpHeaders headers) {
        guard(headers);
        sandbox().faults().clear();
        sandbox().hubspotLimits().clearFaults();
        sandbox().allocation().clearFaults();
        return faults(headers);
    }

    // ------------------------------------------------------------------------------------------------ drive

    @POST
    @Path("leads")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new lead (HubSpot contact from a form, or Salesforce Lead), delivered to the gateway")
    @APIResponse(responseCode = "201", description = "Created; Location is the record in the CRM's API")
    @APIResponse(responseCode = "400", description = "Invalid input; nothing changed")
    @APIResponse(responseCode = "409", description = "A contact with this email exists")
    public Response lead(Sandbox.LeadInput in, @Context HttpHeaders headers, @Context UriInfo uri) {
        guard(headers);
        return created(sandbox().createLead(body(in)), "contacts", "Lead", uri);
    }

    @POST
    @Path("leads/{id}/status")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A rep changes a lead's status, optionally with a disqualification reason: "
            + "{crm, status, reason, byOwnerId}")
    @APIResponse(responseCode = "200", description = "Changed fields")
    @APIResponse(responseCode = "400", description = "Invalid status; nothing changed")
    @APIResponse(responseCode = "404", description = "No such lead")
    public Map<String, Object> status(@PathParam("id") String id, JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        return sandbox().setLeadStatus(text(body, "crm"), id, text(body, "status"), text(body, "reason"),
                text(body, "byOwnerId"));
    }

    @POST
    @Path("leads/{id}/owner")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A person reassigns a lead in the CRM: {crm, ownerId}")
    @APIResponse(responseCode = "200", description = "Changed fields")
    @APIResponse(responseCode = "400", description = "Unknown owner; nothing changed")
    @APIResponse(responseCode = "404", description = "No such lead")
    public Map<String, Object> owner(@PathParam("id") String id, JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        return sandbox().setOwner(text(body, "crm"), id, text(body, "ownerId"));
    }

    @POST
    @Path("activities")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "An owner logs a call, email or meeting on a person (optionally on a deal)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid input; nothing changed")
    @APIResponse(responseCode = "404", description = "No such person")
    public Response activity(Sandbox.ActivityInput in, @Context HttpHeaders headers, @Context UriInfo uri) {
        guard(headers);
        Map<String, Object> done = sandbox().logActivity(body(in));
        return created(done, String.valueOf(done.get("objectType")), String.valueOf(done.get("objectType")), uri);
    }

    @POST
    @Path("deals")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A new deal / opportunity with stage, amount and close date")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid input; nothing changed")
    public Response deal(Sandbox.DealInput in, @Context HttpHeaders headers, @Context UriInfo uri) {
        guard(headers);
        return created(sandbox().createDeal(body(in)), "deals", "Opportunity", uri);
    }

    @PATCH
    @Path("deals/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Move a deal: {crm, stage, amount, closeDate}")
    @APIResponse(responseCode = "200", description = "Changed fields")
    @APIResponse(responseCode = "400", description = "Invalid stage or nothing to change; nothing changed")
    @APIResponse(responseCode = "404", description = "No such deal")
    public Map<String, Object> moveDeal(@PathParam("id") String id, JsonNode body, @Context HttpHeaders headers) {
        guard(headers);
        Double amount = body != null && body.hasNonNull("amount") ? body.get("amount").asDouble() : null;
        return sandbox().updateDeal(text(body, "crm"), id, new Sandbox.DealChange(text(body, "stage"), amount,
                text(body, "closeDate")));
    }

    @POST
    @Path("campaign-members")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A person responds to a campaign (Salesforce CampaignMember; HubSpot form conversion)")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid input or already a member; nothing changed")
    public Response member(Sandbox.MemberInput in, @Context HttpHeaders headers, @Context UriInfo uri) {
        guard(headers);
        return created(sandbox().addCampaignMember(body(in)), "contacts", "CampaignMember", uri);
    }

    // ------------------------------------------------------------------------------------------------ errors

    @ServerExceptionMapper
    public Response badInput(IllegalArgumentException e) {
        return problem(400, "Bad request", e.getMessage());
    }

    @ServerExceptionMapper
    public Response notFound(NoSuchElementException e) {
        return problem(404, "Not found", e.getMessage());
    }

    @ServerExceptionMapper
    public Response refused(Sandbox.DriverException e) {
        return problem(e.status() >= 500 ? 502 : e.status(), "Refused by the simulated CRM", e.getMessage());
    }

    @ServerExceptionMapper
    public Response forbidden(Unauthorized e) {
        return problem(401, "Unauthorized", "this simulator requires Authorization: Bearer <SIM_ADMIN_TOKEN>");
    }

    static Response problem(int status, String title, String detail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", title);
        p.put("status", status);
        p.put("detail", detail);
        return Response.status(status).type("application/problem+json").entity(p).build();
    }

    /** No or a wrong admin token. */
    static final class Unauthorized extends RuntimeException {
        Unauthorized() {
            super(null, null, false, false);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void guard(HttpHeaders headers) {
        String token = simulator.config().adminToken().orElse(null);
        if (token != null && !token.equals(Faulted.bearer(headers))) {
            throw new Unauthorized();
        }
    }

    private Response created(Map<String, Object> done, String hubspotType, String sobject, UriInfo uri) {
        String id = String.valueOf(done.get("id"));
        String path = "hubspot".equals(done.get("crm")) ? "crm/v3/objects/" + hubspotType + "/" + id
                : "services/data/" + sandbox().identity().apiVersion() + "/sobjects/" + sobject + "/" + id;
        return Response.created(URI.create(uri.getBaseUri() + path)).entity(done).build();
    }

    private static <T> T body(T in) {
        if (in == null) {
            throw new IllegalArgumentException("a JSON body is required");
        }
        return in;
    }

    private static String crm(JsonNode body) {
        String crm = text(body, "crm");
        if (!"hubspot".equals(crm) && !"salesforce".equals(crm)) {
            throw new IllegalArgumentException("crm must be hubspot or salesforce");
        }
        return crm;
    }

    private static JsonNode required(JsonNode body, String field) {
        if (body == null || !body.hasNonNull(field)) {
            throw new IllegalArgumentException(field + " is required");
        }
        return body.get(field);
    }

    private static String text(JsonNode body, String field) {
        return body == null || !body.hasNonNull(field) ? null : body.get(field).asText();
    }

    private Sandbox sandbox() {
        return simulator.sandbox();
    }
}
