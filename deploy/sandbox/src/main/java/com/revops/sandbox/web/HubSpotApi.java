package com.revops.sandbox.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.sandbox.Simulator;
import com.revops.sandbox.core.HubSpotErrors;
import com.revops.sandbox.core.HubSpotStore;
import com.revops.sandbox.core.Sandbox;
import com.revops.sandbox.core.Tokens;

/**
 * The part of HubSpot's API the gateway calls: CRM v3 objects (read, batch read/update/upsert, create, update,
 * search), associations v4 batch read, owners, and the OAuth token refresh. Bearer tokens, rate limits and faults
 * are applied by {@link HubSpotGate}; every write the caller makes is journalled.
 */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "HubSpot (simulated)", description = "CRM v3 / v4 as the gateway calls it")
public class HubSpotApi {

    private final Simulator simulator;
    private final HubSpotGate gate;
    private final ObjectMapper mapper;

    public HubSpotApi(Simulator simulator, HubSpotGate gate, ObjectMapper mapper) {
        this.simulator = simulator;
        this.gate = gate;
        this.mapper = mapper;
    }

    @GET
    @Path("crm/v3/objects/{type}/{id}")
    @Operation(summary = "Read one object")
    @APIResponse(responseCode = "200", description = "The object")
    @APIResponse(responseCode = "404", description = "No such object")
    public Response get(@PathParam("type") String type, @PathParam("id") String id,
            @QueryParam("properties") String properties, @QueryParam("propertiesWithHistory") String history,
            @QueryParam("idProperty") String idProperty, @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String t = HubSpotStore.objectType(type);
            return Response.ok(sandbox().hubspot().get(t, id, csv(properties), csv(history), idProperty));
        });
    }

    @POST
    @Path("crm/v3/objects/{type}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create an object, optionally with associations")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "400", description = "Invalid properties or associations")
    @APIResponse(responseCode = "409", description = "A contact with this email exists")
    public Response create(@PathParam("type") String type, String body, @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String t = HubSpotStore.objectType(type);
            JsonNode json = parse(body);
            Map<String, String> props = properties(json.path("properties"));
            List<long[]> associations = new ArrayList<>();
            for (JsonNode a : json.path("associations")) {
                long to = a.path("to").path("id").asLong(-1);
                for (JsonNode ty : a.path("types")) {
                    associations.add(new long[] {ty.path("associationTypeId").asLong(), to});
                }
            }
            long now = sandbox().now();
            HubSpotStore.SimObject o = sandbox().hubspot().create(t, props, associations, "INTEGRATION", now);
            sandbox().journal().record("hubspot", t, o.id(), props, true, "POST /crm/v3/objects/" + t,
                    Instant.ofEpochMilli(now));
            announce(t, o.id(), props, true);
            return Response.status(201).entity(sandbox().hubspot().render(o, new ArrayList<>(props.keySet()),
                    List.of()));
        });
    }

    @PATCH
    @Path("crm/v3/objects/{type}/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update an object's properties")
    @APIResponse(responseCode = "200", description = "Updated")
    @APIResponse(responseCode = "400", description = "Invalid properties")
    @APIResponse(responseCode = "404", description = "No such object")
    public Response update(@PathParam("type") String type, @PathParam("id") String id, String body,
            @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String t = HubSpotStore.objectType(type);
            Map<String, String> props = properties(parse(body).path("properties"));
            if (props.isEmpty()) {
                throw HubSpotErrors.validation("No properties to update");
            }
            long now = sandbox().now();
            Map<String, String> changed = sandbox().hubspot().update(t, id, props, "INTEGRATION", now);
            sandbox().journal().record("hubspot", t, id, props, false, "PATCH /crm/v3/objects/" + t + "/{id}",
                    Instant.ofEpochMilli(now));
            announce(t, id, changed, false);
            return Response.ok(sandbox().hubspot().render(sandbox().hubspot().find(t, id),
                    new ArrayList<>(props.keySet()), List.of()));
        });
    }

    @POST
    @Path("crm/v3/objects/{type}/batch/read")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Read up to 100 objects; missing ones make a 207 with errors")
    @APIResponse(responseCode = "200", description = "All found")
    @APIResponse(responseCode = "207", description = "Some not found: errors[] and numErrors")
    @APIResponse(responseCode = "400", description = "More than 100 inputs")
    public Response batchRead(@PathParam("type") String type, String body, @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String t = HubSpotStore.objectType(type);
            JsonNode json = parse(body);
            List<String> ids = new ArrayList<>();
            json.path("inputs").forEach(i -> ids.add(i.path("id").asText()));
            HubSpotStore.Batch batch = sandbox().hubspot().batchRead(t, ids, strings(json.path("properties")),
                    strings(json.path("propertiesWithHistory")), text(json, "idProperty"));
            return batch(batch);
        });
    }

    @POST
    @Path("crm/v3/objects/{type}/batch/update")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update up to 100 objects; invalid or missing ones make a 207 with errors")
    @APIResponse(responseCode = "200", description = "All updated")
    @APIResponse(responseCode = "207", description = "Some refused: errors[] and numErrors; the others are written")
    @APIResponse(responseCode = "400", description = "More than 100 inputs")
    public Response batchUpdate(@PathParam("type") String type, String body, @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String t = HubSpotStore.objectType(type);
            List<HubSpotStore.Input> inputs = inputs(parse(body));
            long now = sandbox().now();
            List<HubSpotStore.Written> written = new ArrayList<>();
            HubSpotStore.Batch batch = sandbox().hubspot().batchUpdate(t, inputs, "INTEGRATION", now, written);
            for (HubSpotStore.Written w : written) {
                String id = w.object().id();
                inputs.stream().filter(i -> id.equals(i.id())).findFirst().ifPresent(i -> sandbox().journal()
                        .record("hubspot", t, id, i.properties(), false, "POST /crm/v3/objects/" + t
                                + "/batch/update", Instant.ofEpochMilli(now)));
                announce(t, id, w.changed(), false);
            }
            return batch(batch);
        });
    }

    @POST
    @Path("crm/v3/objects/{type}/batch/upsert")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create or update up to 100 objects by a unique property (contacts: email)")
    @APIResponse(responseCode = "200", description = "All written; each result says new true or false")
    @APIResponse(responseCode = "207", description = "Some refused: errors[] and numErrors")
    @APIResponse(responseCode = "400", description = "More than 100 inputs, or idProperty not unique")
    public Response batchUpsert(@PathParam("type") String type, String body, @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String t = HubSpotStore.objectType(type);
            List<HubSpotStore.Input> inputs = inputs(parse(body));
            long now = sandbox().now();
            List<HubSpotStore.SimObject> created = new ArrayList<>();
            List<HubSpotStore.Written> updated = new ArrayList<>();
            HubSpotStore.Batch batch = sandbox().hubspot().batchUpsert(t, inputs, "INTEGRATION", now, created,
                    updated);
            String via = "POST /crm/v3/objects/" + t + "/batch/upsert";
            for (HubSpotStore.Input i : inputs) {
                String id = match(t, i);
                created.stream().filter(o -> o.id().equals(id)).findFirst().ifPresent(o -> {
                    sandbox().journal().record("hubspot", t, id, i.properties(), true, via, Instant.ofEpochMilli(now));
                    announce(t, id, i.properties(), true);
                });
                updated.stream().filter(w -> w.object().id().equals(id)).findFirst().ifPresent(w -> {
                    sandbox().journal().record("hubspot", t, id, i.properties(), false, via,
                            Instant.ofEpochMilli(now));
                    announce(t, id, w.changed(), false);
                });
            }
            return batch(batch);
        });
    }

    @POST
    @Path("crm/v3/objects/{type}/search")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Search: filters, one sort, at most 200 per page and 10,000 results per query")
    @APIResponse(responseCode = "200", description = "A page: total, results, paging.next.after")
    @APIResponse(responseCode = "400", description = "limit over 200, paging past 10,000, too many filters")
    @APIResponse(responseCode = "429", description = "Over 5 searches per second (policy SECONDLY)")
    public Response search(@PathParam("type") String type, String body, @Context HttpHeaders headers) {
        return gate.handle(headers, true, () -> {
            String t = HubSpotStore.objectType(type);
            JsonNode json = parse(body);
            List<List<HubSpotStore.Filter>> groups = new ArrayList<>();
            for (JsonNode g : json.path("filterGroups")) {
                List<HubSpotStore.Filter> filters = new ArrayList<>();
                for (JsonNode f : g.path("filters")) {
                    filters.add(new HubSpotStore.Filter(text(f, "propertyName"), text(f, "operator"),
                            text(f, "value"), text(f, "highValue"), f.has("values") ? strings(f.path("values"))
                                    : null));
                }
                groups.add(filters);
            }
            String sort = null;
            boolean desc = false;
            JsonNode sorts = json.path("sorts");
            if (sorts.size() > 1) {
                throw HubSpotErrors.validation("Only one sort is allowed");
            }
            if (sorts.size() == 1) {
                JsonNode s = sorts.get(0);
                if (s.isTextual()) {
                    sort = s.asText().replaceFirst("^-", "");
                    desc = s.asText().startsWith("-");
                } else {
                    sort = text(s, "propertyName");
                    desc = "DESCENDING".equalsIgnoreCase(text(s, "direction"));
                }
            }
            int after;
            try {
                after = json.hasNonNull("after") ? Integer.parseInt(json.get("after").asText()) : 0;
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation("after must be a paging cursor from a previous page");
            }
            int limit = json.hasNonNull("limit") ? json.get("limit").asInt() : 10;
            HubSpotStore.SearchPage page = sandbox().hubspot().search(t, new HubSpotStore.Search(groups, sort, desc,
                    strings(json.path("properties")), limit, after));
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("total", page.total());
            out.put("results", page.results());
            if (page.nextAfter() != null) {
                out.put("paging", Map.of("next", Map.of("after", page.nextAfter())));
            }
            return Response.ok(out);
        });
    }

    @POST
    @Path("crm/v4/associations/{from}/{to}/batch/read")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Associations v4: the associated ids of up to 1,000 objects")
    @APIResponse(responseCode = "200", description = "Every id has associations")
    @APIResponse(responseCode = "207", description = "Some ids have none: errors[]")
    @APIResponse(responseCode = "400", description = "More than 1,000 inputs")
    public Response associations(@PathParam("from") String from, @PathParam("to") String to, String body,
            @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            String f = HubSpotStore.objectType(from);
            String t = HubSpotStore.objectType(to);
            List<String> ids = new ArrayList<>();
            parse(body).path("inputs").forEach(i -> ids.add(i.path("id").asText()));
            return batch(sandbox().hubspot().associationsBatch(f, t, ids));
        });
    }

    @GET
    @Path("crm/v3/owners")
    @Operation(summary = "Owners with their teams, paged by after")
    @APIResponse(responseCode = "200", description = "A page of owners")
    public Response owners(@QueryParam("limit") Integer limit, @QueryParam("after") String after,
            @QueryParam("email") String email, @Context HttpHeaders headers) {
        return gate.handle(headers, false, () -> {
            int size = limit == null ? 100 : limit;
            if (size < 1 || size > 500) {
                throw HubSpotErrors.validation("limit must be between 1 and 500");
            }
            int from;
            try {
                from = after == null ? 0 : Integer.parseInt(after);
            } catch (NumberFormatException e) {
                throw HubSpotErrors.validation("after must be a paging cursor from a previous page");
            }
            List<HubSpotStore.Owner> all = sandbox().hubspot().owners().stream()
                    .filter(o -> email == null || email.equalsIgnoreCase(o.email())).toList();
            List<Map<String, Object>> results = new ArrayList<>();
            for (HubSpotStore.Owner o : all.subList(Math.min(from, all.size()), Math.min(all.size(), from + size))) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", o.id());
                m.put("email", o.email());
                m.put("type", "PERSON");
                m.put("firstName", o.firstName());
                m.put("lastName", o.lastName());
                m.put("userId", o.userId());
                m.put("createdAt", HubSpotStore.iso(o.createdAt()));
                m.put("updatedAt", HubSpotStore.iso(o.createdAt()));
                m.put("archived", false);
                m.put("teams", o.teams().stream().map(team -> Map.of("id", team.id(), "name", team.name(),
                        "primary", team.primary())).toList());
                results.add(m);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("results", results);
            if (from + size < all.size()) {
                String next = Integer.toString(from + size);
                out.put("paging", Map.of("next", Map.of("after", next, "link",
                        "/crm/v3/owners?limit=" + size + "&after=" + next)));
            }
            return Response.ok(out);
        });
    }

    @POST
    @Path("oauth/v1/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "OAuth 2.0 token refresh (grant_type=refresh_token)")
    @APIResponse(responseCode = "200", description = "access_token, refresh_token, expires_in")
    @APIResponse(responseCode = "400", description = "Unknown client, secret or refresh token")
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @FormParam("refresh_token") String refreshToken) {
        Sandbox s = sandbox();
        s.stats().increment("hubspot.tokenRequests");
        var hs = simulator.config().hubspot();
        if (!"refresh_token".equals(grantType)) {
            return oauthError("UNSUPPORTED_GRANT_TYPE", "grant_type must be refresh_token");
        }
        if (!hs.clientId().equals(clientId) || !hs.clientSecret().equals(clientSecret)) {
            return oauthError("BAD_CLIENT_ID", "missing or invalid client_id / client_secret");
        }
        if (!hs.refreshToken().equals(refreshToken)) {
            return oauthError("BAD_REFRESH_TOKEN", "missing or unknown refresh token");
        }
        long lifetime = hs.tokenLifetime().toMillis();
        Tokens.Issued issued = s.tokens().issue("hubspot", lifetime, s.now(), null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token_type", "bearer");
        out.put("refresh_token", refreshToken);
        out.put("access_token", issued.value());
        out.put("expires_in", lifetime / 1000);
        return Response.ok(out).build();
    }

    private static Response oauthError(String status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", message);
        body.put("correlationId", java.util.UUID.randomUUID().toString());
        return HubSpotGate.json(400, body, Map.of());
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Sandbox sandbox() {
        return simulator.sandbox();
    }

    /** The webhooks HubSpot sends for an app's own write (changeSource INTEGRATION, sourceId the app), if enabled. */
    private void announce(String type, String id, Map<String, String> changed, boolean created) {
        if (simulator.config().hubspot().notifyApiWrites()) {
            sandbox().hubspotChanged(type, id, changed, created, "INTEGRATION",
                    Long.toString(sandbox().identity().appId()));
        }
    }

    private String match(String type, HubSpotStore.Input i) {
        HubSpotStore.SimObject o = "email".equals(i.idProperty()) ? sandbox().hubspot().findByEmail(i.id())
                : sandbox().hubspot().find(type, i.id());
        return o == null ? null : o.id();
    }

    private static Response.ResponseBuilder batch(HubSpotStore.Batch batch) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", "COMPLETE");
        out.put("results", batch.results());
        String now = Instant.now().toString();
        out.put("startedAt", now);
        out.put("completedAt", now);
        if (!batch.errors().isEmpty()) {
            int n = 0;
            for (Map<String, Object> e : batch.errors()) {
                n += ((Map<?, ?>) e.get("context")).get("ids") instanceof List<?> ids ? ids.size() : 1;
            }
            out.put("numErrors", n);
            out.put("errors", batch.errors());
            return Response.status(207).entity(out);
        }
        return Response.ok(out);
    }

    private List<HubSpotStore.Input> inputs(JsonNode json) {
        List<HubSpotStore.Input> inputs = new ArrayList<>();
        for (JsonNode i : json.path("inputs")) {
            inputs.add(new HubSpotStore.Input(text(i, "id"), text(i, "idProperty"), properties(i.path("properties"))));
        }
        return inputs;
    }

    private JsonNode parse(String body) {
        try {
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw HubSpotErrors.validation("Invalid input JSON: the body must be a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw HubSpotErrors.validation("Invalid input JSON on line 1: " + e.getOriginalMessage());
        }
    }

    private static Map<String, String> properties(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(v.asText()));
        return out;
    }

    private static List<String> csv(String v) {
        return v == null || v.isBlank() ? List.of() : Arrays.stream(v.split(",")).map(String::trim)
                .filter(s -> !s.isEmpty()).toList();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
