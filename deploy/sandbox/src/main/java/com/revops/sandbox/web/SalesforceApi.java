package com.revops.sandbox.web;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

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
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.sandbox.Simulator;
import com.revops.sandbox.SimConfig;
import com.revops.sandbox.core.ApiException;
import com.revops.sandbox.core.QueryCursors;
import com.revops.sandbox.core.SalesforceAllocation;
import com.revops.sandbox.core.SalesforceErrors;
import com.revops.sandbox.core.SalesforceStore;
import com.revops.sandbox.core.Sandbox;
import com.revops.sandbox.core.Soql;
import com.revops.sandbox.core.Tokens;

/**
 * The part of Salesforce's REST API the gateway calls: the OAuth token endpoint (client credentials and JWT bearer),
 * sObject read / create / update, upsert by external id, sObject Collections, SOQL query with
 * {@code nextRecordsUrl} paging, and {@code /limits}. Every answer carries {@code Sforce-Limit-Info}; an expired
 * token answers 401 INVALID_SESSION_ID and an exhausted allocation 403 REQUEST_LIMIT_EXCEEDED.
 */
@Path("/services")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Salesforce (simulated)", description = "REST API as the gateway calls it")
public class SalesforceApi {

    static final String JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };

    private final Simulator simulator;
    private final ObjectMapper mapper;

    public SalesforceApi(Simulator simulator, ObjectMapper mapper) {
        this.simulator = simulator;
        this.mapper = mapper;
    }

    @POST
    @Path("oauth2/token")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "OAuth 2.0 token: client credentials, or a JWT bearer assertion")
    @APIResponse(responseCode = "200", description = "access_token and instance_url")
    @APIResponse(responseCode = "400", description = "invalid_client, invalid_grant or unsupported_grant_type")
    public Response token(@FormParam("grant_type") String grantType, @FormParam("client_id") String clientId,
            @FormParam("client_secret") String clientSecret, @FormParam("assertion") String assertion,
            @Context UriInfo uri) {
        Sandbox s = sandbox();
        s.stats().increment("salesforce.tokenRequests");
        SimConfig.Salesforce sf = simulator.config().salesforce();
        String user;
        if ("client_credentials".equals(grantType)) {
            if (!sf.clientId().equals(clientId) || !sf.clientSecret().equals(clientSecret)) {
                return oauthError("invalid_client", "invalid client credentials");
            }
            user = s.org().integrationUserId();
        } else if (JWT_BEARER.equals(grantType)) {
            String problem = checkAssertion(assertion, sf.clientId(), s.now());
            if (problem != null) {
                return oauthError("invalid_grant", problem);
            }
            user = userByUsername(claims(assertion).path("sub").asText());
            if (user == null) {
                return oauthError("invalid_grant", "user hasn't approved this consumer");
            }
        } else {
            return oauthError("unsupported_grant_type", "grant type not supported");
        }
        Tokens.Issued issued = s.tokens().issue("salesforce", sf.tokenLifetime().toMillis(), s.now(), user);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("access_token", issued.value());
        out.put("instance_url", instanceUrl(uri));
        out.put("id", instanceUrl(uri) + "/id/" + simulator.orgId() + "/" + user);
        out.put("token_type", "Bearer");
        out.put("issued_at", Long.toString(issued.issuedAt()));
        out.put("scope", "api");
        return Response.ok(out).build();
    }

    @GET
    @Path("data/{version}/limits")
    @Operation(summary = "The org's limits (DailyApiRequests)")
    @APIResponse(responseCode = "200", description = "Max and Remaining")
    public Response limits(@PathParam("version") String version, @Context HttpHeaders headers) {
        return handle(headers, version, () -> Response.ok(sandbox().allocation().limits(sandbox().now())));
    }

    @GET
    @Path("data/{version}/sobjects/{sobject}/{id}")
    @Operation(summary = "Read one record, optionally only some fields")
    @APIResponse(responseCode = "200", description = "The record with its attributes")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public Response get(@PathParam("version") String version, @PathParam("sobject") String sobject,
            @PathParam("id") String id, @QueryParam("fields") String fields, @Context HttpHeaders headers) {
        return handle(headers, version, () -> {
            requireObject(sobject);
            Map<String, Object> r = sandbox().salesforce().find(sobject, id);
            if (r == null) {
                throw SalesforceErrors.error(404, "NOT_FOUND", "The requested resource does not exist");
            }
            List<String> wanted = fields == null || fields.isBlank() ? List.of()
                    : Arrays.stream(fields.split(",")).map(String::trim).toList();
            for (String f : wanted) {
                if (!SalesforceStore.hasField(sobject, f)) {
                    throw SalesforceErrors.error(400, "INVALID_FIELD", "No such column '" + f + "' on entity '"
                            + sobject + "'");
                }
            }
            return Response.ok(sandbox().salesforce().render(sobject, r, wanted));
        });
    }

    @POST
    @Path("data/{version}/sobjects/{sobject}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create a record")
    @APIResponse(responseCode = "201", description = "id, success, errors")
    @APIResponse(responseCode = "400", description = "REQUIRED_FIELD_MISSING, INVALID_FIELD, bad picklist value...")
    public Response create(@PathParam("version") String version, @PathParam("sobject") String sobject, String body,
            @Context HttpHeaders headers) {
        return handle(headers, version, () -> {
            Map<String, Object> fields = object(body);
            long now = sandbox().now();
            String id = write(() -> sandbox().salesforce().create(sobject, fields, user(headers), now));
            journal(sobject, id, fields, true, "POST /sobjects/" + sobject, now);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            out.put("success", true);
            out.put("errors", List.of());
            return Response.status(201).entity(out);
        });
    }

    @PATCH
    @Path("data/{version}/sobjects/{sobject}/{id}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Update a record")
    @APIResponse(responseCode = "204", description = "Updated")
    @APIResponse(responseCode = "400", description = "Invalid field or value")
    @APIResponse(responseCode = "404", description = "NOT_FOUND")
    public Response update(@PathParam("version") String version, @PathParam("sobject") String sobject,
            @PathParam("id") String id, String body, @Context HttpHeaders headers) {
        return handle(headers, version, () -> {
            Map<String, Object> fields = object(body);
            long now = sandbox().now();
            write(() -> sandbox().salesforce().update(sobject, id, fields, user(headers), now));
            journal(sobject, id, fields, false, "PATCH /sobjects/" + sobject + "/{id}", now);
            return Response.noContent();
        });
    }

    @PATCH
    @Path("data/{version}/sobjects/{sobject}/{field}/{value}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Upsert by external id")
    @APIResponse(responseCode = "201", description = "Created")
    @APIResponse(responseCode = "200", description = "Updated (created false)")
    @APIResponse(responseCode = "300", description = "Several records carry that value")
    public Response upsert(@PathParam("version") String version, @PathParam("sobject") String sobject,
            @PathParam("field") String field, @PathParam("value") String value, String body,
            @Context HttpHeaders headers) {
        return handle(headers, version, () -> {
            Map<String, Object> fields = object(body);
            long now = sandbox().now();
            SalesforceStore.Upserted u = write(() -> sandbox().salesforce().upsert(sobject, field, value, fields,
                    user(headers), now));
            journal(sobject, u.id(), fields, u.created(), "PATCH /sobjects/" + sobject + "/" + field + "/{value}",
                    now);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", u.id());
            out.put("success", true);
            out.put("errors", List.of());
            out.put("created", u.created());
            return Response.status(u.created() ? 201 : 200).entity(out);
        });
    }

    @PATCH
    @Path("data/{version}/composite/sobjects")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "sObject Collections update: up to 200 records, one result per record")
    @APIResponse(responseCode = "200", description = "Per-record results (allOrNone false by default)")
    @APIResponse(responseCode = "400", description = "More than 200 records")
    public Response compositeUpdate(@PathParam("version") String version, String body, @Context HttpHeaders headers) {
        return handle(headers, version, () -> Response.ok(collection(body, headers, false)));
    }

    @POST
    @Path("data/{version}/composite/sobjects")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "sObject Collections create: up to 200 records, one result per record")
    @APIResponse(responseCode = "200", description = "Per-record results")
    @APIResponse(responseCode = "400", description = "More than 200 records")
    public Response compositeCreate(@PathParam("version") String version, String body, @Context HttpHeaders headers) {
        return handle(headers, version, () -> Response.ok(collection(body, headers, true)));
    }

    @GET
    @Path("data/{version}/query")
    @Operation(summary = "SOQL query; the first page, and nextRecordsUrl while not done")
    @APIResponse(responseCode = "200", description = "totalSize, done, nextRecordsUrl, records")
    @APIResponse(responseCode = "400", description = "MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE")
    public Response query(@PathParam("version") String version, @QueryParam("q") String q,
            @Context HttpHeaders headers) {
        return handle(headers, version, () -> {
            Sandbox s = sandbox();
            Soql.Query query = Soql.parse(q, s.now());
            List<Map<String, Object>> rows = Soql.run(query, s.salesforce().all(query.sobject()));
            if (query.count()) {
                return Response.ok(page(new QueryCursors.Page(rows.size(), true, null, List.of())));
            }
            List<Map<String, Object>> rendered = new ArrayList<>(rows.size());
            for (Map<String, Object> r : rows) {
                rendered.add(s.salesforce().render(query.sobject(), r, query.fields()));
            }
            return Response.ok(page(s.cursors().first(rendered, pageSize(headers))));
        });
    }

    @GET
    @Path("data/{version}/query/{locator}")
    @Operation(summary = "The next page of a query (its nextRecordsUrl)")
    @APIResponse(responseCode = "200", description = "The page")
    @APIResponse(responseCode = "400", description = "INVALID_QUERY_LOCATOR")
    public Response next(@PathParam("version") String version, @PathParam("locator") String locator,
            @Context HttpHeaders headers) {
        return handle(headers, version, () -> Response.ok(page(sandbox().cursors().next(locator,
                pageSize(headers)))));
    }

    // ------------------------------------------------------------------------------------------------ the gate

    /** Faults, version, session, allocation, then the call; Sforce-Limit-Info on every answer. */
    private Response handle(HttpHeaders headers, String version, Supplier<Response.ResponseBuilder> work) {
        Sandbox s = sandbox();
        s.stats().increment("salesforce.requests");
        Faulted.sleep(s.faults().latency("salesforce"));
        long now = s.now();
        int injected = s.faults().takeError("salesforce");
        if (injected > 0) {
            s.stats().increment("salesforce.injected5xx");
            return errors(injected, List.of(injected == 503
                    ? SalesforceErrors.entry("SERVER_UNAVAILABLE", "Server is temporarily unavailable")
                    : SalesforceErrors.entry("UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include "
                            + "this ErrorId if you contact support: " + Math.abs(now % 1_000_000_000L) + "-sim")), now);
        }
        String token = Faulted.bearer(headers);
        if (s.tokens().check("salesforce", token, now) != Tokens.State.VALID) {
            s.stats().increment("salesforce.401");
            return errors(401, List.of(SalesforceErrors.entry("INVALID_SESSION_ID", "Session expired or invalid")),
                    now);
        }
        Integer v = version(version);
        if (v == null) {
            return errors(404, List.of(SalesforceErrors.entry("NOT_FOUND", "The requested resource does not "
                    + "exist")), now);
        }
        if (v < simulator.config().salesforce().minApiVersion()) {
            return errors(410, List.of(SalesforceErrors.entry("API_VERSION_RETIRED", "The requested version "
                    + version + " has been retired. Use a newer version.")), now);
        }
        String usage;
        try {
            usage = s.allocation().acquire(now);
        } catch (ApiException e) {
            s.stats().increment("salesforce.403");
            Response.ResponseBuilder b = Response.status(403).type(MediaType.APPLICATION_JSON).entity(e.body());
            e.headers().forEach(b::header);
            return b.build();
        }
        try {
            return work.get().header(SalesforceAllocation.HEADER, usage).build();
        } catch (SalesforceErrors.FieldError e) {
            ApiException a = e.asApiException();
            return Response.status(a.status()).type(MediaType.APPLICATION_JSON).entity(a.body())
                    .header(SalesforceAllocation.HEADER, usage).build();
        } catch (ApiException e) {
            s.stats().increment("salesforce.errors." + e.status());
            return Response.status(e.status()).type(MediaType.APPLICATION_JSON).entity(e.body())
                    .header(SalesforceAllocation.HEADER, usage).build();
        }
    }

    private Response errors(int status, Object body, long now) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body)
                .header(SalesforceAllocation.HEADER, sandbox().allocation().peek(now)).build();
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private List<Map<String, Object>> collection(String body, HttpHeaders headers, boolean create) {
        JsonNode json = parse(body);
        JsonNode records = json.path("records");
        if (!records.isArray()) {
            throw SalesforceErrors.error(400, "JSON_PARSER_ERROR", "records is required");
        }
        if (records.size() > SalesforceStore.COLLECTION_LIMIT) {
            throw SalesforceErrors.error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than "
                    + SalesforceStore.COLLECTION_LIMIT + " records into this call");
        }
        boolean allOrNone = json.path("allOrNone").asBoolean(false);
        String user = user(headers);
        long now = sandbox().now();
        List<Map<String, Object>> results = new ArrayList<>();
        List<Map<String, Object>> inputs = new ArrayList<>();
        records.forEach(r -> inputs.add(mapper.convertValue(r, MAP)));
        if (allOrNone) {
            // validate everything first: one failure rolls all back, as Salesforce does
            for (int i = 0; i < inputs.size(); i++) {
                String problem = precheck(inputs.get(i), create);
                if (problem != null) {
                    for (int j = 0; j < inputs.size(); j++) {
                        results.add(failed(j == i ? "INVALID_FIELD" : "ALL_OR_NONE_OPERATION_ROLLED_BACK",
                                j == i ? problem : "Record rolled back because not all records were valid and the "
                                        + "request was using AllOrNone header", List.of()));
                    }
                    return results;
                }
            }
        }
        for (Map<String, Object> in : inputs) {
            Map<String, Object> fields = new LinkedHashMap<>(in);
            Object attributes = fields.remove("attributes");
            String sobject = attributes instanceof Map<?, ?> a ? (String) a.get("type") : null;
            String id = fields.get("id") != null ? String.valueOf(fields.remove("id"))
                    : fields.get("Id") != null ? String.valueOf(fields.remove("Id")) : null;
            if (sobject == null || !create && id == null) {
                results.add(failed("INVALID_FIELD", sobject == null ? "No SObject Type defined in the record"
                        : "Id in the record is required", List.of()));
                continue;
            }
            try {
                String done;
                if (create) {
                    done = sandbox().salesforce().create(sobject, fields, user, now);
                } else {
                    sandbox().salesforce().update(sobject, id, fields, user, now);
                    done = sandbox().salesforce().find(sobject, id).get("Id").toString();
                }
                journal(sobject, done, fields, create, (create ? "POST" : "PATCH") + " /composite/sobjects", now);
                Map<String, Object> ok = new LinkedHashMap<>();
                ok.put("id", done);
                ok.put("success", true);
                ok.put("errors", List.of());
                results.add(ok);
            } catch (SalesforceErrors.FieldError e) {
                results.add(failed(e.code(), e.getMessage(), e.fields()));
            } catch (ApiException e) {
                Object first = e.body() instanceof List<?> l && !l.isEmpty() ? l.get(0) : Map.of();
                Map<?, ?> m = first instanceof Map<?, ?> mm ? mm : Map.of();
                results.add(failed(String.valueOf(m.get("errorCode")), String.valueOf(m.get("message")), List.of()));
            }
        }
        return results;
    }

    private String precheck(Map<String, Object> in, boolean create) {
        Object attributes = in.get("attributes");
        String sobject = attributes instanceof Map<?, ?> a ? (String) a.get("type") : null;
        if (sobject == null) {
            return "No SObject Type defined in the record";
        }
        if (!create) {
            Object id = in.getOrDefault("id", in.get("Id"));
            if (id == null || sandbox().salesforce().find(sobject, String.valueOf(id)) == null) {
                return "entity is deleted or does not exist";
            }
        }
        for (String f : in.keySet()) {
            if (!"attributes".equals(f) && !"id".equals(f) && !SalesforceStore.hasField(sobject, f)) {
                return "No such column '" + f + "' on sobject of type " + sobject;
            }
        }
        return null;
    }

    private static Map<String, Object> failed(String code, String message, List<String> fields) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("success", false);
        r.put("errors", List.of(SalesforceErrors.recordError(code, message, fields)));
        return r;
    }

    private void journal(String sobject, String id, Map<String, Object> fields, boolean created, String via,
            long now) {
        sandbox().journal().record("salesforce", sobject, id, fields, created, via, Instant.ofEpochMilli(now));
        if (simulator.config().salesforce().notifyApiWrites()
                && Set.of("Lead", "Task", "Event", "CampaignMember", "Opportunity").contains(sobject)) {
            sandbox().notifySalesforce(sobject, id);
        }
    }

    private static <T> T write(Supplier<T> w) {
        try {
            return w.get();
        } catch (SalesforceErrors.FieldError e) {
            throw e.asApiException();
        }
    }

    private Map<String, Object> page(QueryCursors.Page p) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("totalSize", p.totalSize());
        out.put("done", p.done());
        if (p.nextRecordsUrl() != null) {
            out.put("nextRecordsUrl", p.nextRecordsUrl());
        }
        out.put("records", p.records());
        return out;
    }

    private int pageSize(HttpHeaders headers) {
        int size = simulator.config().salesforce().queryPageSize();
        String options = headers.getHeaderString("Sforce-Query-Options");
        if (options != null) {
            for (String part : options.split(",")) {
                String[] kv = part.trim().split("=");
                if (kv.length == 2 && "batchSize".equalsIgnoreCase(kv[0].trim())) {
                    try {
                        size = Math.max(200, Math.min(2000, Integer.parseInt(kv[1].trim())));
                    } catch (NumberFormatException ignored) {
                        // Salesforce ignores a bad batch size and uses the default
                    }
                }
            }
        }
        return size;
    }

    private String user(HttpHeaders headers) {
        String subject = sandbox().tokens().subject(Faulted.bearer(headers));
        return subject == null ? sandbox().org().integrationUserId() : subject;
    }

    private static void requireObject(String sobject) {
        if (!SalesforceStore.knownObject(sobject)) {
            throw SalesforceErrors.error(404, "NOT_FOUND", "The requested resource does not exist");
        }
    }

    private Map<String, Object> object(String body) {
        JsonNode json = parse(body);
        return mapper.convertValue(json, MAP);
    }

    private JsonNode parse(String body) {
        try {
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw SalesforceErrors.error(400, "JSON_PARSER_ERROR", "The request body must be a JSON object");
            }
            return json;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw SalesforceErrors.error(400, "JSON_PARSER_ERROR", "Unexpected character: " + e.getOriginalMessage());
        }
    }

    private static Integer version(String v) {
        if (v == null || !v.matches("v\\d+\\.\\d+")) {
            return null;
        }
        return Integer.valueOf(v.substring(1, v.indexOf('.')));
    }

    private String instanceUrl(UriInfo uri) {
        return simulator.config().publicUrl().orElseGet(() -> {
            String base = uri.getBaseUri().toString();
            return base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        });
    }

    /**
     * A well-formed RS256 assertion for this connected app: three base64url parts, {@code alg} RS256, {@code iss}
     * the consumer key, a {@code sub}, an {@code aud}, and an {@code exp} in the future and at most 3 minutes ahead
     * (with a little clock skew). The signature is not verified: the simulator holds no certificate.
     */
    static String checkAssertion(String assertion, String clientId, long now) {
        if (assertion == null || assertion.split("\\.").length != 3) {
            return "invalid assertion";
        }
        JsonNode header = part(assertion, 0);
        JsonNode claims = part(assertion, 1);
        if (header == null || claims == null || !"RS256".equals(header.path("alg").asText())) {
            return "invalid assertion";
        }
        if (!clientId.equals(claims.path("iss").asText())) {
            return "invalid client credentials";
        }
        if (claims.path("sub").asText("").isBlank() || claims.path("aud").asText("").isBlank()) {
            return "invalid assertion";
        }
        long exp = claims.path("exp").asLong(0);
        if (exp * 1000 <= now) {
            return "expired access/refresh token";
        }
        if (exp * 1000 > now + 3 * 60_000 + 30_000) {
            return "invalid assertion: exp is more than 3 minutes ahead";
        }
        return null;
    }

    private static JsonNode claims(String assertion) {
        return part(assertion, 1);
    }

    private static JsonNode part(String jwt, int i) {
        try {
            byte[] json = Base64.getUrlDecoder().decode(jwt.split("\\.")[i]);
            return new ObjectMapper().readTree(new String(json, StandardCharsets.UTF_8));
        } catch (Exception e) {
            return null;
        }
    }

    private String userByUsername(String username) {
        for (Map<String, Object> u : sandbox().salesforce().all("User")) {
            if (username.equalsIgnoreCase(String.valueOf(u.get("Username")))
                    && Boolean.TRUE.equals(u.get("IsActive"))) {
                return String.valueOf(u.get("Id"));
            }
        }
        return null;
    }

    private static Response oauthError(String error, String description) {
        return Response.status(400).type(MediaType.APPLICATION_JSON)
                .entity(Map.of("error", error, "error_description", description)).build();
    }

    private Sandbox sandbox() {
        return simulator.sandbox();
    }
}
