package com.revops.gateway.crm.hubspot;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revops.gateway.crm.hubspot.HubSpotModels.BatchError;
import com.revops.gateway.crm.hubspot.HubSpotModels.BatchResult;
import com.revops.gateway.crm.hubspot.HubSpotModels.CrmObject;
import com.revops.gateway.crm.hubspot.HubSpotModels.Owner;
import com.revops.gateway.crm.hubspot.HubSpotModels.SearchPage;
import com.revops.gateway.crm.hubspot.HubSpotModels.UpsertInput;
import com.revops.gateway.crm.hubspot.HubSpotRateLimiter.Kind;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpMethod;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.ext.web.client.HttpResponse;
import io.vertx.mutiny.ext.web.client.WebClient;

/**
 * Our typed client of HubSpot's CRM API (HubSpot ships no Java SDK). Every call goes through the
 * {@link HubSpotRateLimiter}; a 429 that happens anyway is waited out by its policy (10 s x attempt for the
 * ten-second window, 1 s x attempt for search), 5xx answers and time-outs are retried with jittered back-off, and a
 * refused token is refreshed once. Batches are cut to HubSpot's 100 inputs; a 207 answer surfaces its per-record
 * errors in {@link BatchResult#errors()} instead of failing the whole call.
 */
public final class HubSpotClient {

    public static final int BATCH_LIMIT = 100;
    public static final int ASSOCIATION_BATCH_LIMIT = 1000;
    public static final int SEARCH_PAGE_LIMIT = 200;
    /** HubSpot refuses to page a search past 10,000 results: callers must re-window instead. */
    public static final int SEARCH_RESULT_CAP = 10_000;

    private final WebClient web;
    private final String baseUrl;
    private final HubSpotTokens tokens;
    private final HubSpotRateLimiter limiter;
    private final ObjectMapper mapper;
    private final Duration timeout;
    private final int maxAttempts;

    public HubSpotClient(WebClient web, String baseUrl, HubSpotTokens tokens, HubSpotRateLimiter limiter,
            ObjectMapper mapper, Duration timeout, int maxAttempts) {
        this.web = web;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tokens = tokens;
        this.limiter = limiter;
        this.mapper = mapper;
        this.timeout = timeout;
        this.maxAttempts = maxAttempts;
    }

    // ------------------------------------------------------------------ objects

    /**
     * Completes when a batching caller's next round may start: at its turn on HubSpot's budget ({@link BudgetPacer}),
     * at most {@link BudgetPacer#MAX_WAIT_MS} from now. The round claims its work after this, so what arrives meanwhile
     * joins its one batch call.
     */
    public Uni<Void> awaitTurn(BudgetPacer pacer) {
        long wait = Math.min(BudgetPacer.MAX_WAIT_MS, pacer.waitMillis(limiter, System.currentTimeMillis()));
        return wait <= 0 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(wait));
    }

    /** A batching caller's round starts now ({@link BudgetPacer}). */
    public void roundStarted(BudgetPacer pacer) {
        pacer.started(limiter, System.currentTimeMillis());
    }

    /** Reads objects by id with the given properties, 100 per call; missing ids come back as 207 errors. */
    public Uni<BatchResult> batchRead(String objectType, List<String> ids, List<String> properties) {
        List<Uni<BatchResult>> calls = new ArrayList<>();
        for (List<String> chunk : chunks(ids, BATCH_LIMIT)) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode props = body.putArray("properties");
            properties.forEach(props::add);
            ArrayNode inputs = body.putArray("inputs");
            chunk.forEach(id -> inputs.addObject().put("id", id));
            calls.add(call(HttpMethod.POST, "/crm/v3/objects/" + objectType + "/batch/read", body, Kind.STANDARD)
                    .map(this::batchResult));
        }
        return merge(calls);
    }

    /** Creates or updates objects by a unique property (e.g. email), 100 per call. */
    public Uni<BatchResult> batchUpsert(String objectType, String idProperty, List<UpsertInput> inputs) {
        return batchWrite(objectType, "upsert", idProperty, inputs);
    }

    /**
     * Sets properties of objects by id, 100 per call ({@code POST .../batch/update}); unknown ids and refused values
     * come back as 207 errors naming the ids in {@code context.ids}, the other records are written.
     */
    public Uni<BatchResult> batchUpdate(String objectType, List<UpsertInput> inputs) {
        return batchWrite(objectType, "update", null, inputs);
    }

    /** {@code POST .../batch/{action}} in chunks of 100 inputs; {@code idProperty} only for upserts. */
    private Uni<BatchResult> batchWrite(String objectType, String action, String idProperty,
            List<UpsertInput> inputs) {
        List<Uni<BatchResult>> calls = new ArrayList<>();
        for (List<UpsertInput> chunk : chunks(inputs, BATCH_LIMIT)) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode array = body.putArray("inputs");
            for (UpsertInput input : chunk) {
                ObjectNode node = array.addObject();
                node.put("id", input.id());
                if (idProperty != null) {
                    node.put("idProperty", idProperty);
                }
                node.set("properties", mapper.valueToTree(input.properties()));
            }
            calls.add(call(HttpMethod.POST, "/crm/v3/objects/" + objectType + "/batch/" + action, body,
                    Kind.STANDARD).map(this::batchResult));
        }
        return merge(calls);
    }

    public Uni<CrmObject> update(String objectType, String id, Map<String, String> properties) {
        ObjectNode body = mapper.createObjectNode();
        body.set("properties", mapper.valueToTree(properties));
        return call(HttpMethod.PATCH, "/crm/v3/objects/" + objectType + "/" + id, body, Kind.STANDARD)
                .map(this::object);
    }

    /**
     * Creates an object, optionally associated (HUBSPOT_DEFINED association type ids, e.g. 204 task-to-contact).
     */
    public Uni<CrmObject> create(String objectType, Map<String, String> properties, String toObjectId,
            Integer associationTypeId) {
        ObjectNode body = mapper.createObjectNode();
        body.set("properties", mapper.valueToTree(properties));
        if (toObjectId != null && associationTypeId != null) {
            ObjectNode association = body.putArray("associations").addObject();
            association.putObject("to").put("id", toObjectId);
            association.putArray("types").addObject()
                    .put("associationCategory", "HUBSPOT_DEFINED")
                    .put("associationTypeId", associationTypeId);
        }
        return call(HttpMethod.POST, "/crm/v3/objects/" + objectType, body, Kind.STANDARD).map(this::object);
    }

    /** Associations v4: for each {@code from} id, the ids of associated {@code to} objects (1,000 ids per call). */
    public Uni<Map<String, List<String>>> associations(String fromType, String toType, List<String> ids) {
        List<Uni<Map<String, List<String>>>> calls = new ArrayList<>();
        for (List<String> chunk : chunks(ids, ASSOCIATION_BATCH_LIMIT)) {
            ObjectNode body = mapper.createObjectNode();
            ArrayNode inputs = body.putArray("inputs");
            chunk.forEach(id -> inputs.addObject().put("id", id));
            calls.add(call(HttpMethod.POST, "/crm/v4/associations/" + fromType + "/" + toType + "/batch/read", body,
                    Kind.STANDARD).map(json -> {
                        Map<String, List<String>> out = new LinkedHashMap<>();
                        for (JsonNode r : json.path("results")) {
                            List<String> to = new ArrayList<>();
                            r.path("to").forEach(t -> to.add(t.path("toObjectId").asText()));
                            out.put(r.path("from").path("id").asText(), to);
                        }
                        return out;
                    }));
        }
        if (calls.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return Uni.join().all(calls).andFailFast().map(parts -> {
            Map<String, List<String>> all = new LinkedHashMap<>();
            parts.forEach(all::putAll);
            return all;
        });
    }

    /** All owners, following the paging cursor. */
    public Uni<List<Owner>> owners() {
        return ownersFrom(null, new ArrayList<>());
    }

    private Uni<List<Owner>> ownersFrom(String after, List<Owner> acc) {
        String path = "/crm/v3/owners?limit=100" + (after == null ? "" : "&after=" + after);
        return call(HttpMethod.GET, path, null, Kind.STANDARD).chain(json -> {
            for (JsonNode o : json.path("results")) {
                List<String> teams = new ArrayList<>();
                o.path("teams").forEach(t -> teams.add(t.path("id").asText()));
                acc.add(new Owner(o.path("id").asText(), text(o, "email"), text(o, "firstName"), text(o, "lastName"),
                        o.hasNonNull("userId") ? o.get("userId").asLong() : null, o.path("archived").asBoolean(),
                        teams));
            }
            String next = text(json.path("paging").path("next"), "after");
            return next == null ? Uni.createFrom().item(acc) : ownersFrom(next, acc);
        });
    }

    // ------------------------------------------------------------------ search

    /**
     * One page of objects modified after {@code sinceExclusive} and up to {@code untilInclusive}, oldest first
     * (HubSpot sorts a search by one property only).
     */
    public Uni<SearchPage> searchModifiedAfter(String objectType, List<String> properties, Instant sinceExclusive,
            Instant untilInclusive, String after) {
        String date = dateProperty(objectType);
        ObjectNode body = searchBody(properties, date, after);
        ArrayNode filters = body.putArray("filterGroups").addObject().putArray("filters");
        filters.addObject().put("propertyName", date).put("operator", "GT")
                .put("value", Long.toString(sinceExclusive.toEpochMilli()));
        filters.addObject().put("propertyName", date).put("operator", "LTE")
                .put("value", Long.toString(untilInclusive.toEpochMilli()));
        body.putArray("sorts").addObject().put("propertyName", date).put("direction", "ASCENDING");
        return search(objectType, body);
    }

    /**
     * One page of the objects modified exactly at {@code at} with an id above {@code afterId}, by id: how the reader
     * gets through a timestamp shared by more records than one window can hold.
     */
    public Uni<SearchPage> searchModifiedAt(String objectType, List<String> properties, Instant at, String afterId,
            String after) {
        String date = dateProperty(objectType);
        ObjectNode body = searchBody(properties, date, after);
        ArrayNode filters = body.putArray("filterGroups").addObject().putArray("filters");
        filters.addObject().put("propertyName", date).put("operator", "EQ")
                .put("value", Long.toString(at.toEpochMilli()));
        filters.addObject().put("propertyName", "hs_object_id").put("operator", "GT")
                .put("value", afterId == null ? "0" : afterId);
        body.putArray("sorts").addObject().put("propertyName", "hs_object_id").put("direction", "ASCENDING");
        return search(objectType, body);
    }

    static String dateProperty(String objectType) {
        return "contacts".equals(objectType) ? "lastmodifieddate" : "hs_lastmodifieddate";
    }

    private ObjectNode searchBody(List<String> properties, String date, String after) {
        ObjectNode body = mapper.createObjectNode();
        ArrayNode props = body.putArray("properties");
        props.add(date);
        props.add("hs_object_id");
        properties.forEach(props::add);
        body.put("limit", SEARCH_PAGE_LIMIT);
        if (after != null) {
            body.put("after", after);
        }
        return body;
    }

    private Uni<SearchPage> search(String objectType, ObjectNode body) {
        return call(HttpMethod.POST, "/crm/v3/objects/" + objectType + "/search", body, Kind.SEARCH).map(json -> {
            List<CrmObject> results = new ArrayList<>();
            json.path("results").forEach(r -> results.add(object(r)));
            return new SearchPage(json.path("total").asLong(), results,
                    text(json.path("paging").path("next"), "after"));
        });
    }

    // ------------------------------------------------------------------ transport

    /** Sends one request through the limiter, with HubSpot's retry policies. Answers the JSON body (or null). */
    Uni<JsonNode> call(HttpMethod method, String path, JsonNode body, Kind kind) {
        return attempt(method, path, body, kind, 1, false);
    }

    private Uni<JsonNode> attempt(HttpMethod method, String path, JsonNode body, Kind kind, int attempt,
            boolean refreshed) {
        long wait = limiter.acquire(kind, System.currentTimeMillis());
        if (wait > 0) {
            return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(wait))
                    .chain(() -> attempt(method, path, body, kind, attempt, refreshed));
        }
        return tokens.token().chain(token -> {
            var request = web.requestAbs(method, baseUrl + path)
                    .putHeader("Authorization", "Bearer " + token)
                    .putHeader("Accept", "application/json")
                    .timeout(timeout.toMillis());
            Uni<HttpResponse<Buffer>> sent = body == null ? request.send()
                    : request.putHeader("Content-Type", "application/json")
                            .sendBuffer(Buffer.buffer(body.toString()));
            return sent;
        }).onItemOrFailure().transformToUni((response, failure) -> {
            if (failure != null) {
                if (failure instanceof HubSpotException h && !h.transientFailure()) {
                    return Uni.createFrom().failure(h);
                }
                return retryOrFail(method, path, body, kind, attempt, refreshed,
                        new HubSpotException(0, "UNAVAILABLE", String.valueOf(failure.getMessage()), null),
                        backoff(attempt));
            }
            observeLimits(response);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return Uni.createFrom().item(parse(response.bodyAsString()));
            }
            JsonNode error = parseQuietly(response.bodyAsString());
            HubSpotException problem = new HubSpotException(status, text(error, "category") != null
                    ? text(error, "category") : text(error, "errorType"),
                    text(error, "message") == null ? "HTTP " + status : text(error, "message"),
                    text(error, "correlationId"));
            if (status == 401 && !refreshed) {
                tokens.invalidate();
                return attempt(method, path, body, kind, attempt, true);
            }
            if (status == 429) {
                long penalty;
                try {
                    penalty = limiter.penalise(text(error, "policyName"), attempt, System.currentTimeMillis());
                } catch (HubSpotRateLimiter.DailyBudgetExhausted e) {
                    return Uni.createFrom().failure(problem);
                }
                Log.warnf("HubSpot 429 (%s) on %s, waiting %d ms", text(error, "policyName"), path, penalty);
                return retryOrFail(method, path, body, kind, attempt, refreshed, problem, 0);
            }
            if (status >= 500) {
                return retryOrFail(method, path, body, kind, attempt, refreshed, problem, backoff(attempt));
            }
            return Uni.createFrom().failure(problem);
        });
    }

    private Uni<JsonNode> retryOrFail(HttpMethod method, String path, JsonNode body, Kind kind, int attempt,
            boolean refreshed, HubSpotException problem, long delayMs) {
        if (attempt >= maxAttempts) {
            return Uni.createFrom().failure(problem);
        }
        Uni<Void> pause = delayMs <= 0 ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(delayMs));
        return pause.chain(() -> attempt(method, path, body, kind, attempt + 1, refreshed));
    }

    /** 200 ms x attempt, as HubSpot's SDK, with up to 50% jitter so that retries of many callers spread out. */
    static long backoff(int attempt) {
        long base = 200L * attempt;
        return base + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }

    private void observeLimits(HttpResponse<Buffer> response) {
        Integer remaining = intHeader(response, "X-HubSpot-RateLimit-Remaining");
        Integer daily = intHeader(response, "X-HubSpot-RateLimit-Daily-Remaining");
        if (remaining != null || daily != null) {
            limiter.observe(remaining, daily, System.currentTimeMillis());
        }
    }

    private static Integer intHeader(HttpResponse<Buffer> response, String name) {
        String v = response.getHeader(name);
        try {
            return v == null ? null : Integer.valueOf(v.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private BatchResult batchResult(JsonNode json) {
        List<CrmObject> results = new ArrayList<>();
        json.path("results").forEach(r -> results.add(object(r)));
        List<BatchError> errors = new ArrayList<>();
        for (JsonNode e : json.path("errors")) {
            List<String> ids = new ArrayList<>();
            e.path("context").path("ids").forEach(id -> ids.add(id.asText()));
            errors.add(new BatchError(text(e, "status"), text(e, "category"), text(e, "message"), ids));
        }
        return new BatchResult(results, errors);
    }

    private CrmObject object(JsonNode r) {
        Map<String, String> props = new HashMap<>();
        r.path("properties").fields().forEachRemaining(f -> props.put(f.getKey(),
                f.getValue().isNull() ? null : f.getValue().asText()));
        return new CrmObject(r.path("id").asText(), props, text(r, "createdAt"), text(r, "updatedAt"),
                r.path("archived").asBoolean(false));
    }

    private static Uni<BatchResult> merge(List<Uni<BatchResult>> calls) {
        if (calls.isEmpty()) {
            return Uni.createFrom().item(new BatchResult(List.of(), List.of()));
        }
        // sequentially: the limiter paces them anyway, and order of results follows order of inputs
        Uni<BatchResult> acc = Uni.createFrom().item(new BatchResult(new ArrayList<>(), new ArrayList<>()));
        for (Uni<BatchResult> call : calls) {
            acc = acc.chain(sum -> call.map(part -> {
                sum.results().addAll(part.results());
                sum.errors().addAll(part.errors());
                return sum;
            }));
        }
        return acc;
    }

    private JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return mapper.createObjectNode();
        }
        try {
            return mapper.readTree(body);
        } catch (Exception e) {
            throw new HubSpotException(200, "UNPARSEABLE", "answer is not JSON", null);
        }
    }

    private JsonNode parseQuietly(String body) {
        try {
            return body == null || body.isBlank() ? mapper.createObjectNode() : mapper.readTree(body);
        } catch (Exception e) {
            return mapper.createObjectNode();
        }
    }

    private static String text(JsonNode node, String field) {
        if (node == null) {
            return null;
        }
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static <T> List<List<T>> chunks(List<T> items, int size) {
        List<List<T>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i += size) {
            out.add(items.subList(i, Math.min(items.size(), i + size)));
        }
        return out;
    }
}
