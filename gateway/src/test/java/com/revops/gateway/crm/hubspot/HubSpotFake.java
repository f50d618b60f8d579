package com.revops.gateway.crm.hubspot;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A HubSpot CRM API that behaves as documented (../shared/CRM-FACTS.md): bearer tokens and OAuth refresh, rate-limit
 * headers on every answer, 429 bodies per policy, 207 partial batches, batch limit 100, search limit 200 and the
 * 10,000-result paging cap, associations v4 and owners with paging. Faults are scripted with {@link #failNext}.
 */
public final class HubSpotFake extends Dispatcher {

    static final ObjectMapper JSON = new ObjectMapper();

    /** contacts by id (numeric order), each a property map including lastmodifieddate (epoch ms as string). */
    public final Map<Long, Map<String, String>> contacts = new TreeMap<>();
    final Map<String, List<String>> contactCompanies = new ConcurrentHashMap<>();
    /** deals by id, like contacts (hs_lastmodifieddate carries the modification time). */
    public final Map<Long, Map<String, String>> deals = new TreeMap<>();
    /** companies by id, like deals (searched by hs_lastmodifieddate). */
    public final Map<Long, Map<String, String>> companies = new TreeMap<>();
    /**
     * Engagements by object type (calls, emails, meetings, tasks), then id, each a property map with
     * hs_lastmodifieddate; tasks the gateway creates land in "tasks" with their contact association.
     */
    public final Map<String, Map<Long, Map<String, String>>> engagements = new ConcurrentHashMap<>(Map.of(
            "calls", new TreeMap<>(), "emails", new TreeMap<>(), "meetings", new TreeMap<>(),
            "tasks", new TreeMap<>()));
    /** associations v4 by "fromType|toType|fromId". */
    public final Map<String, List<String>> associations = new ConcurrentHashMap<>();
    final List<Map<String, Object>> owners = new ArrayList<>();
    final Deque<MockResponse> scripted = new ArrayDeque<>();
    final Map<String, Deque<MockResponse>> scriptedFor = new java.util.HashMap<>();
    final AtomicInteger searches = new AtomicInteger();
    final AtomicInteger tokenRefreshes = new AtomicInteger();
    final List<String> paths = new ArrayList<>();
    /** Every write the gateway made: "PATCH contacts/42 {...}" / "BATCH contacts/42 {...}" / "POST tasks {...}". */
    public final List<String> writes = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** The bodies of the batch updates answered (after scripted failures): which ids went together in one call. */
    public final List<JsonNode> batchUpdates = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Every contact id asked for in a batch read, once per read. */
    public final List<String> contactReads = new java.util.concurrent.CopyOnWriteArrayList<>();
    volatile String validToken = "token-1";

    /** How many requests were made to exactly this "METHOD /path" so far. */
    public synchronized long requests(String methodAndPath) {
        return paths.stream().filter(methodAndPath::equals).count();
    }

    /** Adds an owner to /crm/v3/owners, in the teams given (HubSpot lists them as {id, name, primary}). */
    public synchronized void addOwner(String id, String email, String... teamIds) {
        List<Map<String, Object>> teams = new ArrayList<>();
        for (int i = 0; i < teamIds.length; i++) {
            teams.add(Map.of("id", teamIds[i], "name", "Team " + teamIds[i], "primary", i == 0));
        }
        owners.add(Map.of("id", id, "email", email, "firstName", "Rep", "lastName", id, "userId",
                Long.parseLong(id) + 1000, "archived", false, "teams", teams));
    }

    /** The next answers, whatever the request (after auth). */
    public synchronized void failNext(MockResponse... responses) {
        scripted.addAll(List.of(responses));
    }

    /**
     * The next answers to requests whose path or body contains {@code pathPart} (e.g. {@code "\"42\""} for a batch
     * naming record 42): for tests that must not lose their
     * scripted failures to other callers (commands and webhooks of other test suites share the test broker).
     */
    public synchronized void failNextFor(String pathPart, MockResponse... responses) {
        scriptedFor.computeIfAbsent(pathPart, k -> new ArrayDeque<>()).addAll(List.of(responses));
    }

    public static MockResponse rateLimited(String policy) {
        String message = "SECONDLY".equals(policy) ? "You have reached your secondly limit."
                : "You have reached your ten_secondly_rolling limit.";
        return json(429, """
                {"status":"error","message":"%s","errorType":"RATE_LIMIT","correlationId":"%s",
                 "policyName":"%s","requestId":"%s"}""".formatted(message, UUID.randomUUID(), policy,
                UUID.randomUUID())).addHeader("X-HubSpot-RateLimit-Remaining", "0");
    }

    public static MockResponse serverError() {
        return json(500, "{\"status\":\"error\",\"message\":\"internal error\",\"correlationId\":\"" + UUID.randomUUID()
                + "\",\"category\":\"INTERNAL_ERROR\"}");
    }

    public static MockResponse json(int status, String body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .addHeader("X-HubSpot-RateLimit-Max", "190")
                .addHeader("X-HubSpot-RateLimit-Interval-Milliseconds", "10000")
                .addHeader("X-HubSpot-RateLimit-Daily", "650000")
                .addHeader("X-HubSpot-RateLimit-Daily-Remaining", "649000")
                .setBody(body);
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        String path = request.getPath();
        paths.add(request.getMethod() + " " + path);
        try {
            if (path.startsWith("/oauth/v1/token")) {
                String form = request.getBody().readUtf8();
                if (!form.contains("grant_type=refresh_token") || !form.contains("refresh_token=refresh-1")) {
                    return json(400, "{\"status\":\"BAD_REFRESH_TOKEN\",\"message\":\"missing or unknown refresh token\"}");
                }
                tokenRefreshes.incrementAndGet();
                validToken = "token-" + (tokenRefreshes.get() + 1);
                return json(200, "{\"access_token\":\"" + validToken + "\",\"refresh_token\":\"refresh-1\","
                        + "\"expires_in\":1800,\"token_type\":\"bearer\"}");
            }
            if (!("Bearer " + validToken).equals(request.getHeader("Authorization"))) {
                return json(401, "{\"status\":\"error\",\"message\":\"Authentication credentials not found.\","
                        + "\"correlationId\":\"" + UUID.randomUUID() + "\",\"category\":\"INVALID_AUTHENTICATION\"}");
            }
            if (!scripted.isEmpty()) {
                return scripted.poll().addHeader("X-HubSpot-RateLimit-Remaining", "100");
            }
            String text = request.getBodySize() > 0 ? request.getBody().clone().readUtf8() : "";
            for (Map.Entry<String, Deque<MockResponse>> e : scriptedFor.entrySet()) {
                if ((path.contains(e.getKey()) || text.contains(e.getKey())) && !e.getValue().isEmpty()) {
                    return e.getValue().poll().addHeader("X-HubSpot-RateLimit-Remaining", "100");
                }
            }
            MockResponse answer = route(request, path);
            return answer.addHeader("X-HubSpot-RateLimit-Remaining", "150");
        } catch (Exception e) {
            return json(500, "{\"message\":\"fake failed: " + e.getMessage().replace("\"", "'") + "\"}");
        }
    }

    private MockResponse route(RecordedRequest request, String path) throws Exception {
        JsonNode body = request.getBodySize() > 0 ? JSON.readTree(request.getBody().readUtf8()) : null;
        if (request.getMethod().equals("PATCH") && path.startsWith("/crm/v3/objects/contacts/")) {
            long id = Long.parseLong(path.substring("/crm/v3/objects/contacts/".length()));
            Map<String, String> c = contacts.get(id);
            if (c == null) {
                return json(404, "{\"status\":\"error\",\"message\":\"resource not found\","
                        + "\"category\":\"OBJECT_NOT_FOUND\",\"correlationId\":\"" + UUID.randomUUID() + "\"}");
            }
            body.path("properties").fields().forEachRemaining(f -> c.put(f.getKey(), f.getValue().asText()));
            c.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
            writes.add("PATCH contacts/" + id + " " + body.path("properties"));
            return json(200, object(Long.toString(id), c, JSON.createArrayNode()).toString());
        }
        java.util.regex.Matcher batchUpdate = java.util.regex.Pattern
                .compile("/crm/v3/objects/(contacts|deals|companies)/batch/update").matcher(path);
        if (request.getMethod().equals("POST") && batchUpdate.matches()) {
            return batchUpdate(batchUpdate.group(1), body);
        }
        if (request.getMethod().equals("POST") && path.equals("/crm/v3/objects/tasks")) {
            long id = nextId();
            Map<String, String> props = new java.util.HashMap<>();
            body.path("properties").fields().forEachRemaining(f -> props.put(f.getKey(), f.getValue().asText()));
            String now = java.time.Instant.now().toString();
            props.put("hs_createdate", now);
            props.put("hs_lastmodifieddate", now);
            engagements.get("tasks").put(id, props);
            for (JsonNode a : body.path("associations")) {
                associations.merge("tasks|contacts|" + id, List.of(a.path("to").path("id").asText()),
                        (x, y) -> java.util.stream.Stream.concat(x.stream(), y.stream()).toList());
            }
            writes.add("POST tasks " + body);
            ObjectNode o = JSON.createObjectNode().put("id", Long.toString(id));
            o.set("properties", JSON.valueToTree(props));
            o.put("createdAt", now).put("updatedAt", now).put("archived", false);
            return json(201, o.toString());
        }
        if (path.equals("/crm/v3/objects/contacts/batch/read")) {
            body.path("inputs").forEach(i -> contactReads.add(i.path("id").asText()));
            return batchRead(body, contacts);
        }
        if (path.equals("/crm/v3/objects/deals/batch/read")) {
            return batchRead(body, deals);
        }
        java.util.regex.Matcher engagement = java.util.regex.Pattern
                .compile("/crm/v3/objects/(calls|emails|meetings|tasks)/batch/read").matcher(path);
        if (engagement.matches()) {
            return batchRead(body, engagements.get(engagement.group(1)));
        }
        java.util.regex.Matcher assoc = java.util.regex.Pattern
                .compile("/crm/v4/associations/(\\w+)/(\\w+)/batch/read").matcher(path);
        if (assoc.matches() && !"contacts".equals(assoc.group(1))) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode results = out.putArray("results");
            for (JsonNode in : body.path("inputs")) {
                List<String> to = associations.getOrDefault(assoc.group(1) + "|" + assoc.group(2) + "|"
                        + in.path("id").asText(), List.of());
                if (!to.isEmpty()) {
                    ObjectNode r = results.addObject();
                    r.putObject("from").put("id", in.path("id").asText());
                    ArrayNode arr = r.putArray("to");
                    to.forEach(t -> arr.addObject().put("toObjectId", Long.parseLong(t)));
                }
            }
            return json(200, out.toString());
        }
        java.util.regex.Matcher search = java.util.regex.Pattern.compile("/crm/v3/objects/(\\w+)/search").matcher(path);
        if (search.matches() && store(search.group(1)) != null) {
            return search(body, store(search.group(1)));
        }
        if (path.startsWith("/crm/v4/associations/contacts/companies/batch/read")) {
            ObjectNode out = JSON.createObjectNode();
            ArrayNode results = out.putArray("results");
            for (JsonNode in : body.path("inputs")) {
                List<String> to = contactCompanies.getOrDefault(in.path("id").asText(), List.of());
                if (to.isEmpty()) {
                    continue;
                }
                ObjectNode r = results.addObject();
                r.putObject("from").put("id", in.path("id").asText());
                ArrayNode arr = r.putArray("to");
                to.forEach(t -> arr.addObject().put("toObjectId", Long.parseLong(t)).putArray("associationTypes")
                        .addObject().put("category", "HUBSPOT_DEFINED").put("typeId", 1));
            }
            out.put("status", "COMPLETE");
            return json(200, out.toString());
        }
        if (path.startsWith("/crm/v3/owners")) {
            int after = path.contains("after=") ? Integer.parseInt(path.replaceAll(".*after=(\\d+).*", "$1")) : 0;
            ObjectNode out = JSON.createObjectNode();
            ArrayNode results = out.putArray("results");
            int end = Math.min(owners.size(), after + 100);
            for (int i = after; i < end; i++) {
                results.add(JSON.valueToTree(owners.get(i)));
            }
            if (end < owners.size()) {
                out.putObject("paging").putObject("next").put("after", Integer.toString(end));
            }
            return json(200, out.toString());
        }
        return json(404, "{\"status\":\"error\",\"message\":\"unknown path " + path + "\",\"category\":\"OBJECT_NOT_FOUND\"}");
    }

    /** A fresh object id, as HubSpot hands out on creation. */
    public static long nextId() {
        return java.util.concurrent.ThreadLocalRandom.current().nextLong(10_000_000_000L, 90_000_000_000L);
    }

    /** Batch update: unknown ids are one OBJECT_NOT_FOUND error of a 207 (ids in context.ids), the rest written. */
    private MockResponse batchUpdate(String objects, JsonNode body) {
        JsonNode inputs = body.path("inputs");
        if (inputs.size() > 100) {
            return json(400, "{\"status\":\"error\",\"message\":\"Batch input limit is 100\","
                    + "\"category\":\"VALIDATION_ERROR\"}");
        }
        batchUpdates.add(body);
        Map<Long, Map<String, String>> store = store(objects);
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        List<String> missing = new ArrayList<>();
        for (JsonNode in : inputs) {
            String id = in.path("id").asText();
            Map<String, String> c = id.matches("\\d+") ? store.get(Long.parseLong(id)) : null;
            if (c == null) {
                missing.add(id);
                continue;
            }
            in.path("properties").fields().forEachRemaining(f -> c.put(f.getKey(), f.getValue().asText()));
            c.put("lastmodifieddate", Long.toString(System.currentTimeMillis()));
            writes.add("BATCH " + objects + "/" + id + " " + in.path("properties"));
            results.add(object(id, c, JSON.createArrayNode()));
        }
        out.put("status", "COMPLETE");
        if (missing.isEmpty()) {
            return json(200, out.toString());
        }
        out.put("numErrors", 1);
        ObjectNode error = out.putArray("errors").addObject();
        error.put("status", "error").put("category", "OBJECT_NOT_FOUND")
                .put("message", "Could not update some objects, they may be deleted or not exist.");
        ArrayNode ids = error.putObject("context").putArray("ids");
        missing.forEach(ids::add);
        return json(207, out.toString());
    }

    private MockResponse batchRead(JsonNode body, Map<Long, Map<String, String>> store) {
        JsonNode inputs = body.path("inputs");
        if (inputs.size() > 100) {
            return json(400, "{\"status\":\"error\",\"message\":\"Batch input limit is 100\","
                    + "\"category\":\"VALIDATION_ERROR\"}");
        }
        ObjectNode out = JSON.createObjectNode();
        ArrayNode results = out.putArray("results");
        List<String> missing = new ArrayList<>();
        for (JsonNode in : inputs) {
            Map<String, String> c = store.get(Long.parseLong(in.path("id").asText()));
            if (c == null) {
                missing.add(in.path("id").asText());
                continue;
            }
            results.add(object(in.path("id").asText(), c, body.path("properties")));
        }
        out.put("status", "COMPLETE");
        if (missing.isEmpty()) {
            return json(200, out.toString());
        }
        out.put("numErrors", 1);
        ObjectNode error = out.putArray("errors").addObject();
        error.put("status", "error").put("category", "OBJECT_NOT_FOUND")
                .put("message", "Could not get some objects, they may be deleted or not exist.");
        ArrayNode ids = error.putObject("context").putArray("ids");
        missing.forEach(ids::add);
        return json(207, out.toString());
    }

    /** The objects of one CRM v3 object type, or null for a type the fake does not hold. */
    private Map<Long, Map<String, String>> store(String objects) {
        return switch (objects) {
            case "contacts" -> contacts;
            case "deals" -> deals;
            case "companies" -> companies;
            default -> engagements.get(objects);
        };
    }

    private MockResponse search(JsonNode body, Map<Long, Map<String, String>> store) {
        searches.incrementAndGet();
        int limit = body.path("limit").asInt(10);
        int after = body.hasNonNull("after") ? Integer.parseInt(body.get("after").asText()) : 0;
        if (limit > 200) {
            return json(400, "{\"status\":\"error\",\"message\":\"limit must be at most 200\","
                    + "\"category\":\"VALIDATION_ERROR\"}");
        }
        if (after + limit > 10_000) {
            return json(400, "{\"status\":\"error\",\"message\":\"There was a problem with the request.\","
                    + "\"category\":\"VALIDATION_ERROR\",\"context\":{\"after\":[\"" + after + "\"]}}");
        }
        List<Map.Entry<Long, Map<String, String>>> matching = new ArrayList<>();
        for (Map.Entry<Long, Map<String, String>> e : store.entrySet()) {
            boolean anyGroup = false;
            for (JsonNode group : body.path("filterGroups")) {
                boolean all = true;
                for (JsonNode f : group.path("filters")) {
                    String prop = f.path("propertyName").asText();
                    long have = "hs_object_id".equals(prop) ? e.getKey() : millis(e.getValue().get(prop));
                    long want = Long.parseLong(f.path("value").asText());
                    all &= switch (f.path("operator").asText()) {
                        case "GT" -> have > want;
                        case "GTE" -> have >= want;
                        case "LT" -> have < want;
                        case "LTE" -> have <= want;
                        case "EQ" -> have == want;
                        default -> false;
                    };
                }
                anyGroup |= all;
            }
            if (anyGroup || body.path("filterGroups").isEmpty()) {
                matching.add(e);
            }
        }
        String sort = body.path("sorts").path(0).path("propertyName").asText("hs_object_id");
        Comparator<Map.Entry<Long, Map<String, String>>> order = "hs_object_id".equals(sort)
                ? Comparator.comparing(Map.Entry::getKey)
                // HubSpot sorts by one property only: equal timestamps come in no particular order
                : Comparator.comparing(e -> millis(e.getValue().get(sort)));
        if (!"hs_object_id".equals(sort)) {
            java.util.Collections.shuffle(matching, new java.util.Random(matching.size()));
        }
        matching.sort(order);
        ObjectNode out = JSON.createObjectNode();
        out.put("total", matching.size());
        ArrayNode results = out.putArray("results");
        int end = Math.min(matching.size(), after + limit);
        for (int i = after; i < end; i++) {
            results.add(object(Long.toString(matching.get(i).getKey()), matching.get(i).getValue(),
                    body.path("properties")));
        }
        if (end < matching.size()) {
            out.putObject("paging").putObject("next").put("after", Integer.toString(end));
        }
        return json(200, out.toString());
    }

    /** HubSpot dates: epoch milliseconds, or ISO-8601 as engagement properties carry them. */
    private static long millis(String value) {
        if (value == null) {
            return Long.MIN_VALUE;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return java.time.Instant.parse(value).toEpochMilli();
        }
    }

    private static ObjectNode object(String id, Map<String, String> props, JsonNode wanted) {
        ObjectNode o = JSON.createObjectNode();
        o.put("id", id);
        ObjectNode p = o.putObject("properties");
        p.put("hs_object_id", id);
        for (JsonNode w : wanted) {
            String name = w.asText();
            if (props.containsKey(name)) {
                p.put(name, props.get(name));
            }
        }
        o.put("createdAt", "2026-01-01T00:00:00Z").put("updatedAt", "2026-11-01T00:00:00Z").put("archived", false);
        return o;
    }
}
