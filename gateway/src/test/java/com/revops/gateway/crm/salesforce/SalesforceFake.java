package com.revops.gateway.crm.salesforce;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * An in-memory Salesforce org on two MockWebServers, behaving as CRM-FACTS.md documents the real one:
 * <ul>
 * <li>a login server with {@code /services/oauth2/token} for client credentials and JWT bearer (the assertion's RS256
 * signature and its iss/sub/aud/exp claims are checked against the test key pair); tokens name the instance server
 * as {@code instance_url}, so a client that kept calling the login URL would fail;</li>
 * <li>an instance server with the REST endpoints the client uses, an API counter reported in
 * {@code Sforce-Limit-Info} on every REST answer, 401 {@code INVALID_SESSION_ID} for unknown or expired tokens and
 * 403 {@code REQUEST_LIMIT_EXCEEDED} once the allocation is used up;</li>
 * <li>Lead validation (required LastName/Company, restricted Status picklist, unknown fields) producing Salesforce's
 * error arrays and per-record collection errors.</li>
 * </ul>
 * Tests can also expire sessions, refuse every token, and queue raw failures (5xx, HTML, no response).
 */
final class SalesforceFake implements AutoCloseable {

    static final String CLIENT_ID = "3MVG9fakeConsumerKey";
    static final String CLIENT_SECRET = "fake-consumer-secret";
    static final String USERNAME = "integration@acme.example";
    static final Set<String> LEAD_STATUSES = Set.of("Open - Not Contacted", "Working - Contacted",
            "Closed - Converted", "Closed - Not Converted");
    static final Set<String> LEAD_FIELDS = Set.of("Id", "FirstName", "LastName", "Company", "Email", "Status",
            "OwnerId", "LeadSource", "External_Id__c", "Disqualification_Reason__c");

    private static final String JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    private static final Pattern DATA_PATH = Pattern.compile("/services/data/v(\\d+)\\.(\\d+)/(.*)");
    private static final Pattern SOQL = Pattern.compile(
            "(?is)\\s*SELECT\\s+(.+?)\\s+FROM\\s+(\\w+)(?:\\s+WHERE\\s+(.+?))?(?:\\s+ORDER\\s+BY\\s+(.+?))?"
                    + "(?:\\s+LIMIT\\b.*)?\\s*");
    private static final Pattern WHERE_CMP = Pattern.compile("(?is)(\\w+)\\s*(>=|<=|=|>|<)\\s*('([^']*)'|\\S+)");
    /** The WHERE clauses the gateway sends: {@code Field IN ('a','b')} and {@code Field = 'a'}. */
    private static final Pattern WHERE_IN = Pattern.compile("(?is)(\\w+)\\s+IN\\s*\\(([^)]*)\\)");

    private final ObjectMapper mapper = new ObjectMapper();
    private final MockWebServer login = new MockWebServer();
    private final MockWebServer instance = new MockWebServer();
    private final PublicKey jwtKey;
    private final Clock clock;

    private final Set<String> validTokens = ConcurrentHashMap.newKeySet();
    /** type -> id -> when it was deleted. */
    private final Map<String, Map<String, java.time.Instant>> deletions = new ConcurrentHashMap<>();
    private final AtomicInteger issued = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final AtomicInteger cursors = new AtomicInteger();
    private final List<RecordedRequest> tokenRequests = new CopyOnWriteArrayList<>();
    private final List<RecordedRequest> apiRequests = new CopyOnWriteArrayList<>();
    /** Every SOQL query that returned records (not COUNT()), in order. */
    private final List<String> queries = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedDeque<MockResponse> injected = new ConcurrentLinkedDeque<>();
    /** type -> id -> fields, insertion ordered so query pages are stable. */
    private final Map<String, Map<String, Map<String, Object>>> store = new ConcurrentHashMap<>();
    private final Map<String, List<Map<String, Object>>> openCursors = new ConcurrentHashMap<>();

    private volatile boolean refuseAllSessions;
    private volatile int pageSize = 2000;
    private long used; // guarded by this
    private long max = 15000; // guarded by this

    /** @param jwtKey public half of the key the client signs JWT bearer assertions with; null refuses that flow */
    SalesforceFake(PublicKey jwtKey) throws IOException {
        this(jwtKey, Clock.systemUTC());
    }

    SalesforceFake(PublicKey jwtKey, Clock clock) throws IOException {
        this.jwtKey = jwtKey;
        this.clock = clock;
        login.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                tokenRequests.add(request);
                return token(request);
            }
        });
        instance.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                apiRequests.add(request);
                return api(request);
            }
        });
        login.start();
        instance.start();
    }

    // --- what tests use ----------------------------------------------------------------------------------------

    /** A client configuration for this fake: client credentials, quick retries so tests do not sleep. */
    SalesforceConfig.Builder config() {
        return SalesforceConfig.builder(loginUrl(), CLIENT_ID)
                .clientCredentials(CLIENT_SECRET)
                .readTimeout(Duration.ofSeconds(5))
                .retryBaseDelay(Duration.ofMillis(1));
    }

    /** A fresh RSA key pair, as one would create for a connected app's certificate. */
    static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The private key as PKCS#8 PEM, the format the client is configured with. */
    static String pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    /** The login URL, as a client would configure it (no trailing slash). */
    String loginUrl() {
        return withoutSlash(login.url("/"));
    }

    String instanceUrl() {
        return withoutSlash(instance.url("/"));
    }

    List<RecordedRequest> tokenRequests() {
        return List.copyOf(tokenRequests);
    }

    /** The record queries run so far (COUNT() queries left out). */
    List<String> queries() {
        return List.copyOf(queries);
    }

    List<RecordedRequest> apiRequests() {
        return List.copyOf(apiRequests);
    }

    /** Revokes every token handed out so far, as a session timeout would. */
    void expireSessions() {
        validTokens.clear();
    }

    /** Makes every REST call answer 401 INVALID_SESSION_ID, even with a brand-new token. */
    void refuseAllSessions() {
        refuseAllSessions = true;
    }

    synchronized void usage(long used, long max) {
        this.used = used;
        this.max = max;
    }

    synchronized long used() {
        return used;
    }

    void pageSize(int size) {
        pageSize = size;
    }

    /** The next REST call (whatever it is) gets this answer instead of being processed. */
    void failNext(MockResponse response) {
        injected.add(response);
    }

    void failNext(int status, String contentType, String body) {
        failNext(new MockResponse().setResponseCode(status).setHeader("Content-Type", contentType).setBody(body));
    }

    /** Puts a record straight into the org and returns its id. */
    String insert(String type, Map<String, Object> fields) {
        String id = newId(type);
        Map<String, Object> record = new LinkedHashMap<>(fields);
        record.put("Id", id);
        records(type).put(id, record);
        return id;
    }

    /** Deletes a record as a person would: {@code /sobjects/{type}/deleted} lists it with its deletion time. */
    void delete(String type, String id, java.time.Instant at) {
        records(type).remove(id);
        deletions.computeIfAbsent(type, k -> new java.util.concurrent.ConcurrentSkipListMap<>()).put(id, at);
    }

    /** Whether a token is one this org handed out and has not revoked (the Pub/Sub API fake asks). */
    boolean validToken(String token) {
        return !refuseAllSessions && token != null && validTokens.contains(token);
    }

    long count(String type, String field) {
        synchronized (records(type)) {
            return records(type).values().stream().filter(r -> r.get(field) != null).count();
        }
    }

    Map<String, Object> record(String type, String id) {
        return records(type).get(id);
    }

    @Override
    public void close() throws IOException {
        login.shutdown();
        instance.shutdown();
    }

    // --- OAuth ---------------------------------------------------------------------------------------------------

    private MockResponse token(RecordedRequest request) {
        if (!"POST".equals(request.getMethod()) || !"/services/oauth2/token".equals(request.getPath())) {
            return oauthError(404, "not_found", "unknown endpoint");
        }
        Map<String, String> form = form(request.getBody().clone().readUtf8());
        String grant = form.getOrDefault("grant_type", "");
        if ("client_credentials".equals(grant)) {
            if (!CLIENT_ID.equals(form.get("client_id")) || !CLIENT_SECRET.equals(form.get("client_secret"))) {
                return oauthError(400, "invalid_client", "invalid client credentials");
            }
        } else if (JWT_GRANT.equals(grant)) {
            String problem = verifyAssertion(form.get("assertion"));
            if (problem != null) {
                return oauthError(400, "invalid_grant", problem);
            }
        } else {
            return oauthError(400, "unsupported_grant_type", "grant type not supported");
        }
        String token = "00DFAKE!token-" + issued.incrementAndGet();
        validTokens.add(token);
        ObjectNode answer = mapper.createObjectNode()
                .put("access_token", token)
                .put("instance_url", instanceUrl())
                .put("id", loginUrl() + "/id/00DFAKE000000001AAA/005FAKE000000001AAA")
                .put("token_type", "Bearer")
                .put("issued_at", String.valueOf(clock.millis()))
                .put("signature", "ignored-by-clients");
        return json(200, answer.toString(), false);
    }

    /** Checks an RS256 assertion as Salesforce does; returns what is wrong, or null. */
    String verifyAssertion(String assertion) {
        if (jwtKey == null || assertion == null) {
            return "invalid assertion";
        }
        String[] parts = assertion.split("\\.", -1);
        if (parts.length != 3) {
            return "invalid assertion";
        }
        try {
            JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
            if (!"RS256".equals(header.path("alg").asText())) {
                return "invalid assertion: alg must be RS256";
            }
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initVerify(jwtKey);
            rs256.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!rs256.verify(Base64.getUrlDecoder().decode(parts[2]))) {
                return "invalid assertion: signature";
            }
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!CLIENT_ID.equals(claims.path("iss").asText())) {
                return "invalid client_id (iss)";
            }
            if (!USERNAME.equals(claims.path("sub").asText())) {
                return "user hasn't approved this consumer (sub)";
            }
            if (!loginUrl().equals(claims.path("aud").asText())) {
                return "invalid audience (aud)";
            }
            if (!claims.path("exp").canConvertToLong()) {
                return "invalid assertion: exp";
            }
            long exp = claims.path("exp").asLong();
            long now = clock.instant().getEpochSecond();
            if (exp <= now) {
                return "expired assertion (exp)";
            }
            if (exp > now + Duration.ofMinutes(3).toSeconds()) {
                return "invalid assertion: exp more than 3 minutes ahead";
            }
            return null;
        } catch (IOException | IllegalArgumentException | GeneralSecurityException e) {
            return "invalid assertion: " + e.getMessage();
        }
    }

    private MockResponse oauthError(int status, String error, String description) {
        return json(status, mapper.createObjectNode().put("error", error).put("error_description", description)
                .toString(), false);
    }

    // --- REST ----------------------------------------------------------------------------------------------------

    private MockResponse api(RecordedRequest request) {
        MockResponse failure = injected.poll();
        if (failure != null) {
            return failure.addHeader("Sforce-Limit-Info", limitInfo());
        }
        String auth = request.getHeader("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        if (refuseAllSessions || token == null || !validTokens.contains(token)) {
            return error(401, "INVALID_SESSION_ID", "Session expired or invalid");
        }
        synchronized (this) {
            if (used >= max) {
                return error(403, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.");
            }
            used++;
        }
        HttpUrl url = request.getRequestUrl();
        Matcher path = DATA_PATH.matcher(url.encodedPath());
        if (!path.matches()) {
            return notFound();
        }
        int version = Integer.parseInt(path.group(1));
        String v = "v" + path.group(1) + "." + path.group(2);
        List<String> segments = url.pathSegments().subList(3, url.pathSegments().size());
        String method = request.getMethod();
        try {
            if (segments.equals(List.of("limits")) && "GET".equals(method)) {
                return limits();
            }
            if (segments.equals(List.of("query")) && "GET".equals(method)) {
                return query(v, url.queryParameter("q"));
            }
            if (segments.size() == 2 && segments.get(0).equals("query") && "GET".equals(method)) {
                return nextPage(v, segments.get(1));
            }
            if (segments.equals(List.of("composite", "sobjects")) && "PATCH".equals(method)) {
                return collectionUpdate(body(request));
            }
            if (segments.size() >= 2 && segments.get(0).equals("sobjects")) {
                String type = segments.get(1);
                if (segments.size() == 2 && "POST".equals(method)) {
                    return create(type, body(request));
                }
                if (segments.size() >= 3 && segments.get(2).equals("deleted") && "GET".equals(method)) {
                    return deletedBetween(type, url.queryParameter("start"), url.queryParameter("end"));
                }
                if (segments.size() == 3 && "GET".equals(method)) {
                    return get(type, segments.get(2), url.queryParameter("fields"));
                }
                if (segments.size() == 3 && "PATCH".equals(method)) {
                    return update(type, segments.get(2), body(request));
                }
                if (segments.size() == 4 && "PATCH".equals(method)) {
                    return upsert(version, v, type, segments.get(2), segments.get(3), body(request));
                }
            }
            return notFound();
        } catch (IOException malformed) {
            return error(400, "JSON_PARSER_ERROR", "Unexpected character: " + malformed.getMessage());
        }
    }

    /**
     * {@code GET /sobjects/{type}/deleted/?start=&end=}: ids deleted in the window; like Salesforce, the seconds of
     * both bounds are ignored (the window is widened to whole minutes) and both bounds are required.
     */
    private MockResponse deletedBetween(String type, String start, String end) {
        if (start == null || end == null) {
            return error(400, "MALFORMED_QUERY", "start and end are required");
        }
        java.time.Instant from;
        java.time.Instant to;
        try {
            from = java.time.OffsetDateTime.parse(start).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
            to = java.time.OffsetDateTime.parse(end).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MINUTES)
                    .plusSeconds(59);
        } catch (java.time.format.DateTimeParseException e) {
            return error(400, "INVALID_DATE_TIME", "unparseable start or end: " + start + ", " + end);
        }
        ObjectNode answer = mapper.createObjectNode();
        com.fasterxml.jackson.databind.node.ArrayNode list = answer.putArray("deletedRecords");
        deletions.getOrDefault(type, Map.of()).forEach((id, at) -> {
            if (!at.isBefore(from) && !at.isAfter(to)) {
                list.addObject().put("id", id).put("deletedDate", at.toString());
            }
        });
        answer.put("earliestDateAvailable", from.toString());
        answer.put("latestDateCovered", to.toString());
        return json(200, answer.toString(), true);
    }

    private MockResponse limits() {
        ObjectNode answer = mapper.createObjectNode();
        synchronized (this) {
            answer.putObject("DailyApiRequests").put("Max", max).put("Remaining", max - used);
        }
        return json(200, answer.toString(), true);
    }

    private MockResponse get(String type, String id, String fields) {
        Map<String, Object> record = records(type).get(id);
        if (record == null) {
            return notFound();
        }
        Map<String, Object> answer = row(type, id, record, fields == null ? null : List.of(fields.split(",")));
        return json(200, write(answer), true);
    }

    private MockResponse create(String type, JsonNode body) {
        Map<String, Object> fields = fields(body);
        SalesforceError problem = validate(type, fields, true);
        if (problem != null) {
            return error(400, problem);
        }
        String id = insert(type, fields);
        return json(201, mapper.createObjectNode().put("id", id).put("success", true).set("errors",
                mapper.createArrayNode()).toString(), true);
    }

    private MockResponse update(String type, String id, JsonNode body) {
        Map<String, Object> record = records(type).get(id);
        if (record == null) {
            return notFound();
        }
        Map<String, Object> fields = fields(body);
        SalesforceError problem = validate(type, fields, false);
        if (problem != null) {
            return error(400, problem);
        }
        record.putAll(fields);
        return new MockResponse().setResponseCode(204).addHeader("Sforce-Limit-Info", limitInfo());
    }

    private MockResponse upsert(int version, String v, String type, String field, String value, JsonNode body) {
        List<String> matches = new ArrayList<>();
        records(type).forEach((id, record) -> {
            if (value.equals(String.valueOf(record.get(field)))) {
                matches.add(id);
            }
        });
        if (matches.size() > 1) {
            ArrayNode urls = mapper.createArrayNode();
            matches.forEach(id -> urls.add("/services/data/" + v + "/sobjects/" + type + "/" + id));
            return json(300, urls.toString(), true);
        }
        Map<String, Object> fields = fields(body);
        fields.put(field, value);
        SalesforceError problem = validate(type, fields, matches.isEmpty());
        if (problem != null) {
            return error(400, problem);
        }
        String id;
        boolean created = matches.isEmpty();
        if (created) {
            id = insert(type, fields);
        } else {
            id = matches.get(0);
            records(type).get(id).putAll(fields);
            if (version < 46) {
                // Before API 46.0 an upsert that updated answered 204 without a body.
                return new MockResponse().setResponseCode(204).addHeader("Sforce-Limit-Info", limitInfo());
            }
        }
        ObjectNode answer = mapper.createObjectNode().put("id", id).put("success", true).put("created", created);
        answer.putArray("errors");
        return json(created ? 201 : 200, answer.toString(), true);
    }

    private MockResponse collectionUpdate(JsonNode body) {
        JsonNode records = body.path("records");
        if (records.size() > SalesforceClient.COLLECTION_LIMIT) {
            return error(400, "EXCEEDED_ID_LIMIT",
                    "record limit reached. cannot submit more than 200 records into this call");
        }
        boolean allOrNone = body.path("allOrNone").asBoolean(false);
        List<SalesforceError> problems = new ArrayList<>();
        for (JsonNode node : records) {
            String type = node.path("attributes").path("type").asText(null);
            String id = node.path("id").asText(null);
            if (type == null) {
                problems.add(new SalesforceError("INVALID_TYPE", "Must send a concrete entity type.", List.of()));
            } else if (id == null || !records(type).containsKey(id)) {
                problems.add(new SalesforceError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id",
                        List.of("Id")));
            } else {
                problems.add(validate(type, fields(node), false));
            }
        }
        boolean anyFailed = problems.stream().anyMatch(p -> p != null);
        ArrayNode answer = mapper.createArrayNode();
        for (int i = 0; i < records.size(); i++) {
            JsonNode node = records.get(i);
            SalesforceError problem = problems.get(i);
            if (problem == null && allOrNone && anyFailed) {
                problem = new SalesforceError("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                        "Record rolled back because not all records were valid and the request was using AllOrNone "
                                + "header",
                        List.of());
            }
            ObjectNode result = answer.addObject();
            if (problem == null) {
                String type = node.path("attributes").path("type").asText();
                String id = node.path("id").asText();
                records(type).get(id).putAll(fields(node));
                result.put("id", id).put("success", true).putArray("errors");
            } else {
                // As Salesforce does: a failed record's result carries no id.
                result.put("success", false);
                ObjectNode error = result.putArray("errors").addObject()
                        .put("statusCode", problem.errorCode()).put("message", problem.message());
                problem.fields().forEach(error.putArray("fields")::add);
            }
        }
        return json(200, answer.toString(), true);
    }

    private MockResponse query(String v, String soql) {
        Matcher m = soql == null ? null : SOQL.matcher(soql);
        if (m == null || !m.matches()) {
            return error(400, "MALFORMED_QUERY", "unexpected token: " + soql);
        }
        List<String> select = new ArrayList<>();
        for (String field : m.group(1).split(",")) {
            select.add(field.strip());
        }
        boolean count = select.size() == 1 && "COUNT()".equalsIgnoreCase(select.get(0));
        String type = m.group(2);
        List<java.util.function.Predicate<Map<String, Object>>> filters = new ArrayList<>();
        if (m.group(3) != null) {
            for (String condition : m.group(3).strip().split("(?i)\\s+AND\\s+")) {
                java.util.function.Predicate<Map<String, Object>> filter = filter(condition.strip());
                if (filter == null) {
                    return error(400, "MALFORMED_QUERY", "the fake understands only AND of IN, =, <, <=, >, >= "
                            + "filters: " + condition);
                }
                filters.add(filter);
            }
        }
        Comparator<Map.Entry<String, Map<String, Object>>> order = Map.Entry.comparingByKey();
        if (m.group(4) != null) {
            Comparator<Map.Entry<String, Map<String, Object>>> by = null;
            for (String item : m.group(4).split(",")) {
                String field = item.strip().split("\\s+")[0];
                Comparator<Map.Entry<String, Map<String, Object>>> next = (a, b) -> compare(
                        "Id".equals(field) ? a.getKey() : a.getValue().get(field),
                        "Id".equals(field) ? b.getKey() : b.getValue().get(field));
                by = by == null ? next : by.thenComparing(next);
            }
            order = by.thenComparing(Map.Entry.comparingByKey());
        }
        List<Map<String, Object>> rows = new ArrayList<>();
        List<Map.Entry<String, Map<String, Object>>> all;
        synchronized (records(type)) {
            all = new ArrayList<>(records(type).entrySet());
        }
        all.stream().sorted(order)
                .filter(e -> filters.stream().allMatch(f -> f.test(withId(e))))
                .forEach(e -> rows.add(row(type, e.getKey(), e.getValue(), select)));
        if (count) {
            // SELECT COUNT() answers the number in totalSize and no records
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("totalSize", rows.size());
            answer.put("done", true);
            answer.put("records", List.of());
            return json(200, write(answer), true);
        }
        queries.add(soql);
        return page(v, "01gFAKE" + cursors.incrementAndGet(), rows, 0);
    }

    private static Map<String, Object> withId(Map.Entry<String, Map<String, Object>> e) {
        Map<String, Object> r = new HashMap<>(e.getValue());
        r.put("Id", e.getKey());
        return r;
    }

    /** One condition of a WHERE: {@code Field IN ('a','b')}, {@code Field = 'a'}, or a comparison with a literal. */
    private static java.util.function.Predicate<Map<String, Object>> filter(String condition) {
        Matcher in = WHERE_IN.matcher(condition);
        if (in.matches()) {
            Set<String> values = new java.util.HashSet<>();
            for (String item : in.group(2).split(",")) {
                String t = item.strip();
                if (t.length() < 2 || !t.startsWith("'") || !t.endsWith("'")) {
                    return null;
                }
                values.add(t.substring(1, t.length() - 1));
            }
            String field = in.group(1);
            return r -> matches(r.get(field), values);
        }
        Matcher cmp = WHERE_CMP.matcher(condition);
        if (!cmp.matches()) {
            return null;
        }
        String field = cmp.group(1);
        String op = cmp.group(2);
        String literal = cmp.group(4) != null ? cmp.group(4) : cmp.group(3);
        if ("=".equals(op)) {
            return r -> matches(r.get(field), Set.of(literal));
        }
        return r -> {
            Object value = r.get(field);
            if (value == null) {
                return false;
            }
            int c = compare(value, literal);
            return switch (op) {
                case ">" -> c > 0;
                case ">=" -> c >= 0;
                case "<" -> c < 0;
                default -> c <= 0;
            };
        };
    }

    /** Datetimes by their instant (Salesforce writes +0000, SOQL literals Z), anything else as text. */
    private static int compare(Object a, Object b) {
        if (a == null || b == null) {
            return a == null ? (b == null ? 0 : -1) : 1;
        }
        try {
            return com.revops.gateway.sync.SalesforceSync.instant(a)
                    .compareTo(com.revops.gateway.sync.SalesforceSync.instant(b));
        } catch (RuntimeException notDatetimes) {
            return String.valueOf(a).compareTo(String.valueOf(b));
        }
    }

    /** Salesforce compares ids in filters by their 15-character form, so 15 and 18 character ids both match. */
    private static boolean matches(Object value, Set<String> wanted) {
        if (value == null) {
            return false;
        }
        String v = String.valueOf(value);
        for (String w : wanted) {
            if (w.equals(v) || v.length() == 18 && w.length() == 15 && v.startsWith(w)
                    || w.length() == 18 && v.length() == 15 && w.startsWith(v)) {
                return true;
            }
        }
        return false;
    }

    private MockResponse nextPage(String v, String locator) {
        int dash = locator.lastIndexOf('-');
        List<Map<String, Object>> rows = dash < 0 ? null : openCursors.get(locator.substring(0, dash));
        if (rows == null) {
            return error(400, "INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        return page(v, locator.substring(0, dash), rows, Integer.parseInt(locator.substring(dash + 1)));
    }

    private MockResponse page(String v, String cursor, List<Map<String, Object>> rows, int offset) {
        // The result set is frozen when the query runs, as a real query locator is.
        openCursors.put(cursor, rows);
        int end = Math.min(rows.size(), offset + pageSize);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("totalSize", rows.size());
        answer.put("done", end >= rows.size());
        if (end < rows.size()) {
            answer.put("nextRecordsUrl", "/services/data/" + v + "/query/" + cursor + "-" + end);
        }
        answer.put("records", rows.subList(offset, end));
        return json(200, write(answer), true);
    }

    // --- the org's rules -----------------------------------------------------------------------------------------

    /** Lead rules of a typical org; other objects accept anything. */
    private SalesforceError validate(String type, Map<String, Object> fields, boolean creating) {
        if (!"Lead".equals(type)) {
            return null;
        }
        for (String field : fields.keySet()) {
            if (!LEAD_FIELDS.contains(field)) {
                return new SalesforceError("INVALID_FIELD", "No such column '" + field + "' on sobject of type Lead",
                        List.of());
            }
        }
        if (creating) {
            List<String> missing = new ArrayList<>();
            for (String required : List.of("LastName", "Company")) {
                if (fields.get(required) == null) {
                    missing.add(required);
                }
            }
            if (!missing.isEmpty()) {
                return new SalesforceError("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing,
                        missing);
            }
        }
        Object status = fields.get("Status");
        if (fields.containsKey("Status") && !LEAD_STATUSES.contains(String.valueOf(status))) {
            return new SalesforceError("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                    "Lead Status: bad value for restricted picklist field: " + status, List.of("Status"));
        }
        return null;
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private Map<String, Map<String, Object>> records(String type) {
        return store.computeIfAbsent(type, t -> Collections.synchronizedMap(new LinkedHashMap<>()));
    }

    private String newId(String type) {
        String prefix = switch (type) {
            case "Lead" -> "00Q";
            case "Contact" -> "003";
            case "Account" -> "001";
            case "Campaign" -> "701";
            case "CampaignMember" -> "00v";
            case "Task" -> "00T";
            case "Event" -> "00U";
            default -> "a00";
        };
        return String.format("%sFAKE%08dAAA", prefix, ids.incrementAndGet());
    }

    private Map<String, Object> row(String type, String id, Map<String, Object> record, List<String> select) {
        Map<String, Object> row = new LinkedHashMap<>();
        Map<String, Object> attributes = new LinkedHashMap<>();
        attributes.put("type", type);
        attributes.put("url", "/services/data/v67.0/sobjects/" + type + "/" + id);
        row.put("attributes", attributes);
        if (select == null) {
            row.putAll(record);
        } else {
            select.forEach(field -> row.put(field, record.get(field)));
        }
        return row;
    }

    private Map<String, Object> fields(JsonNode node) {
        Map<String, Object> fields = mapper.convertValue(node, mapper.getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
        fields.remove("attributes");
        fields.remove("id");
        fields.remove("Id");
        return fields;
    }

    private JsonNode body(RecordedRequest request) throws IOException {
        return mapper.readTree(request.getBody().clone().readUtf8());
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private synchronized String limitInfo() {
        // The per-app counter comes first on purpose: a client must not mistake it for the org-wide one.
        return "per-app-api-usage=" + used + "/5000(appName=revops-gateway); api-usage=" + used + "/" + max;
    }

    private MockResponse json(int status, String body, boolean rest) {
        MockResponse response = new MockResponse().setResponseCode(status)
                .setHeader("Content-Type", "application/json;charset=UTF-8").setBody(body);
        return rest ? response.addHeader("Sforce-Limit-Info", limitInfo()) : response;
    }

    private MockResponse error(int status, String code, String message) {
        return error(status, new SalesforceError(code, message, List.of()));
    }

    private MockResponse error(int status, SalesforceError error) {
        ArrayNode errors = mapper.createArrayNode();
        ObjectNode entry = errors.addObject().put("message", error.message()).put("errorCode", error.errorCode());
        error.fields().forEach(entry.putArray("fields")::add);
        return json(status, errors.toString(), true);
    }

    private MockResponse notFound() {
        return error(404, "NOT_FOUND", "The requested resource does not exist");
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    private static String withoutSlash(HttpUrl url) {
        String text = url.toString();
        return text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    }
}
