package com.revops.gateway.crm.salesforce;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;

import com.revops.gateway.crm.salesforce.SalesforceAuthenticator.AccessToken;

/**
 * A typed, blocking client for the Salesforce REST API, in plain Java (OkHttp + Jackson) so it can be unit-tested
 * and wrapped by whatever calls it from worker threads. Thread-safe; create one per org and {@link #close()} it on
 * shutdown.
 *
 * <p>What it takes care of, as Salesforce documents it:
 * <ul>
 * <li>OAuth 2.0 (client credentials or JWT bearer) against the login URL, then every call against the returned
 * {@code instance_url}; on 401 {@code INVALID_SESSION_ID} one new token and one replay of the request;</li>
 * <li>the daily API allocation: {@code Sforce-Limit-Info} is read from every answer, and calls are refused before
 * sending once the usage reaches the configured quota ceiling; 403 {@code REQUEST_LIMIT_EXCEEDED} is never
 * retried;</li>
 * <li>5xx and I/O failures: up to {@link SalesforceConfig#maxAttempts()} attempts with exponential back-off and
 * jitter, except that a create (POST) is only replayed when Salesforce certainly did not process it;</li>
 * <li>error arrays turned into {@link SalesforceException} subclasses;</li>
 * <li>{@code Sforce-Auto-Assign: FALSE} whenever we set an owner, so lead assignment rules do not overwrite it.</li>
 * </ul>
 */
public final class SalesforceClient implements AutoCloseable {

    /** sObject Collections take at most this many records per request. */
    public static final int COLLECTION_LIMIT = 200;
    /** Header that switches off the org's assignment rules for this request. */
    public static final String AUTO_ASSIGN_HEADER = "Sforce-Auto-Assign";
    /** Names our integration in {@code changeOrigin} of the Change Data Capture events our writes cause. */
    public static final String CALL_OPTIONS_HEADER = "Sforce-Call-Options";
    static final String INVALID_SESSION_ID = "INVALID_SESSION_ID";

    private static final System.Logger LOG = System.getLogger(SalesforceClient.class.getName());
    private static final MediaType JSON = MediaType.get("application/json; charset=utf-8");
    private static final TypeReference<LinkedHashMap<String, Object>> MAP = new TypeReference<>() {
    };
    /** sObject and field API names (Lead, External_Id__c); checked so a typo fails here, not as a 404. */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

    private final SalesforceConfig config;
    private final OkHttpClient http;
    private final ObjectMapper mapper;
    private final SalesforceAuthenticator auth;
    private final AtomicReference<ApiUsage> usage = new AtomicReference<>();

    /** A client with its own Jackson mapper and the system clock. */
    public SalesforceClient(SalesforceConfig config) {
        this(config, defaultMapper(), Clock.systemUTC());
    }

    /**
     * @param mapper used for request and answer bodies; it must write dates as ISO strings (Salesforce's format)
     * @param clock used for JWT expiry
     */
    public SalesforceClient(SalesforceConfig config, ObjectMapper mapper, Clock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.mapper = Objects.requireNonNull(mapper, "mapper");
        this.http = new OkHttpClient.Builder()
                .connectTimeout(config.connectTimeout())
                .readTimeout(config.readTimeout())
                .writeTimeout(config.readTimeout())
                .callTimeout(config.callTimeout())
                // An upsert answers 300 when several records match; that is a result, not a redirect to follow.
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
        this.auth = new SalesforceAuthenticator(config, http, mapper, Objects.requireNonNull(clock, "clock"));
    }

    /**
     * The session the REST calls use, for Salesforce's other APIs (the Pub/Sub API authenticates with the same access
     * token and instance URL). Blocks while a token is fetched.
     */
    public Session session() {
        SalesforceAuthenticator.AccessToken token = auth.token();
        return new Session(token.value(), token.instanceUrl().toString().replaceFirst("/$", ""), token);
    }

    /** Drops a session another API refused (e.g. gRPC UNAUTHENTICATED), so the next {@link #session()} is fresh. */
    public void invalidate(Session session) {
        auth.invalidate(session.token);
    }

    /** An access token and the org's instance URL; the token stays out of {@link #toString()}. */
    public static final class Session {
        private final String accessToken;
        private final String instanceUrl;
        private final SalesforceAuthenticator.AccessToken token;

        Session(String accessToken, String instanceUrl, SalesforceAuthenticator.AccessToken token) {
            this.accessToken = accessToken;
            this.instanceUrl = instanceUrl;
            this.token = token;
        }

        public String accessToken() {
            return accessToken;
        }

        public String instanceUrl() {
            return instanceUrl;
        }

        @Override
        public String toString() {
            return "Session[instanceUrl=" + instanceUrl + "]";
        }
    }

    /** A mapper that writes {@code java.time} values as ISO-8601 strings, as Salesforce expects. */
    public static ObjectMapper defaultMapper() {
        return new ObjectMapper().findAndRegisterModules().disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    }

    /** The org's API usage as last reported by Salesforce, or null before the first answer. */
    public ApiUsage apiUsage() {
        return usage.get();
    }

    /**
     * Asks Salesforce for the current usage ({@code GET /limits}, {@code DailyApiRequests}) even when the quota
     * ceiling was reached. The allocation is a rolling 24-hour window, so usage falls again over time; a scheduler
     * calls this to find out when a stopped sync may resume. Costs one API call.
     */
    public ApiUsage refreshApiUsage() {
        Reply reply = execute(new Exchange("GET", base -> api(base).addPathSegment("limits").build(), null, false,
                true, true));
        JsonNode daily = readTree(reply).path("DailyApiRequests");
        if (daily.path("Max").canConvertToLong() && daily.path("Remaining").canConvertToLong()) {
            long max = daily.path("Max").asLong();
            long remaining = daily.path("Remaining").asLong();
            usage.set(new ApiUsage(Math.max(0, max - remaining), max));
        }
        return usage.get();
    }

    /**
     * Reads one record ({@code GET /sobjects/{type}/{id}?fields=...}).
     *
     * @param fields the fields to return; none means all fields, which Salesforce makes slower
     * @return the record as Salesforce sends it, including its {@code attributes} entry
     * @throws SalesforceNotFoundException when the record does not exist
     */
    public Map<String, Object> getRecord(String sobject, String id, String... fields) {
        for (String field : fields) {
            apiName(field);
        }
        Function<HttpUrl, HttpUrl> url = base -> {
            HttpUrl.Builder builder = sobjectUrl(base, sobject).addPathSegment(recordId(id));
            if (fields.length > 0) {
                builder.addQueryParameter("fields", String.join(",", fields));
            }
            return builder.build();
        };
        return readMap(execute(new Exchange("GET", url, null, false, true, false)));
    }

    /** A record deleted in a window, as {@code /sobjects/{type}/deleted} lists it. */
    public record DeletedRecord(String id, String deletedDate) {
    }

    /**
     * The records of a type deleted between {@code start} and {@code end}
     * ({@code GET /sobjects/{type}/deleted/?start=&end=}). Salesforce keeps deletions for about 30 days (older starts
     * answer an error) and ignores the seconds of both bounds, so callers widen the window to whole minutes and
     * deduplicate.
     */
    public List<DeletedRecord> deleted(String sobject, java.time.Instant start, java.time.Instant end) {
        java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter
                .ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX").withZone(java.time.ZoneOffset.UTC);
        Function<HttpUrl, HttpUrl> url = base -> sobjectUrl(base, sobject).addPathSegment("deleted").addPathSegment("")
                .addQueryParameter("start", iso.format(start)).addQueryParameter("end", iso.format(end)).build();
        JsonNode answer = readTree(execute(new Exchange("GET", url, null, false, true, false)));
        List<DeletedRecord> out = new java.util.ArrayList<>();
        answer.path("deletedRecords").forEach(r -> out.add(new DeletedRecord(r.path("id").asText(),
                r.path("deletedDate").asText(null))));
        return out;
    }

    /**
     * Creates a record ({@code POST /sobjects/{type}}).
     *
     * @return the new record's id
     */
    public String createRecord(String sobject, Map<String, ?> fields) {
        String body = json(fields);
        // Not idempotent: replayed only when Salesforce certainly did not process it (see execute).
        Reply reply = execute(new Exchange("POST", base -> sobjectUrl(base, sobject).build(), body,
                setsOwner(fields), false, false));
        String id = SalesforceErrors.text(readTree(reply), "id");
        if (id == null) {
            throw unexpected(reply, "create answer without an id");
        }
        return id;
    }

    /** Updates a record; {@code Sforce-Auto-Assign: FALSE} is sent when {@code fields} sets {@code OwnerId}. */
    public void updateRecord(String sobject, String id, Map<String, ?> fields) {
        updateRecord(sobject, id, fields, false);
    }

    /**
     * Updates a record ({@code PATCH /sobjects/{type}/{id}}, 204).
     *
     * @param ownerWrite send {@code Sforce-Auto-Assign: FALSE} even without {@code OwnerId} in {@code fields}, e.g.
     *     when the update is part of an ownership change and must not re-run assignment rules
     */
    public void updateRecord(String sobject, String id, Map<String, ?> fields, boolean ownerWrite) {
        String body = json(fields);
        execute(new Exchange("PATCH", base -> sobjectUrl(base, sobject).addPathSegment(recordId(id)).build(), body,
                ownerWrite || setsOwner(fields), true, false));
    }

    /**
     * Creates or updates the record whose external id field {@code extIdField} equals {@code value}
     * ({@code PATCH /sobjects/{type}/{field}/{value}}): idempotent, so safe to replay.
     *
     * @throws SalesforceMultipleMatchesException when several records carry that value (300)
     */
    public UpsertResult upsertByExternalId(String sobject, String extIdField, String value, Map<String, ?> fields) {
        apiName(extIdField);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("external id value is required");
        }
        String body = json(fields);
        // addPathSegment percent-encodes the value, so an id containing '/' or '?' stays one segment.
        Reply reply = execute(new Exchange("PATCH",
                base -> sobjectUrl(base, sobject).addPathSegment(extIdField).addPathSegment(value).build(), body,
                setsOwner(fields), true, false));
        switch (reply.code()) {
            case 201:
                return new UpsertResult(SalesforceErrors.text(readTree(reply), "id"), true);
            case 200:
                // Since API 46.0 an update answers 200 with {"id","success","errors","created":false}.
                return new UpsertResult(SalesforceErrors.text(readTree(reply), "id"), false);
            case 204:
                // Older API versions answer an update with no body at all.
                return new UpsertResult(null, false);
            case 300:
                throw new SalesforceMultipleMatchesException(candidates(reply.body()));
            default:
                throw unexpected(reply, "unexpected upsert status");
        }
    }

    /**
     * Updates records of one type through sObject Collections, adding each record's {@code attributes.type}.
     *
     * @see #compositeUpdate(List)
     */
    public List<RecordResult> compositeUpdate(String sobject, List<? extends Map<String, ?>> records) {
        apiName(sobject);
        List<Map<String, Object>> typed = new ArrayList<>(records.size());
        for (Map<String, ?> record : records) {
            Map<String, Object> copy = new LinkedHashMap<>();
            copy.put("attributes", Map.of("type", sobject));
            copy.putAll(Objects.requireNonNull(record, "record"));
            typed.add(copy);
        }
        return compositeUpdate(typed);
    }

    /**
     * Updates many records through sObject Collections ({@code PATCH /composite/sobjects}, {@code allOrNone:false}),
     * in requests of at most {@value #COLLECTION_LIMIT} records. Each record needs {@code attributes.type} and
     * {@code id}. A record Salesforce refuses is reported in its {@link RecordResult}, not thrown: the others are
     * written. {@code Sforce-Auto-Assign: FALSE} is sent for every request that sets an {@code OwnerId}.
     *
     * <p>When a whole request fails (e.g. the quota ceiling is reached midway) the exception is thrown and the
     * earlier requests stay applied; updates are idempotent, so running the whole list again is safe.
     *
     * @return one result per record, in the order of {@code records}
     */
    public List<RecordResult> compositeUpdate(List<? extends Map<String, ?>> records) {
        List<RecordResult> results = new ArrayList<>(records.size());
        for (int from = 0; from < records.size(); from += COLLECTION_LIMIT) {
            List<? extends Map<String, ?>> chunk = records.subList(from, Math.min(records.size(),
                    from + COLLECTION_LIMIT));
            results.addAll(compositeChunk(chunk));
        }
        return results;
    }

    private List<RecordResult> compositeChunk(List<? extends Map<String, ?>> chunk) {
        boolean setsOwner = false;
        for (Map<String, ?> record : chunk) {
            setsOwner |= setsOwner(Objects.requireNonNull(record, "record"));
        }
        Map<String, Object> request = new LinkedHashMap<>();
        // Said explicitly although it is the default: one bad record must not roll back the other 199.
        request.put("allOrNone", false);
        request.put("records", chunk);
        Reply reply = execute(new Exchange("PATCH", base -> api(base).addPathSegment("composite")
                .addPathSegment("sobjects").build(), json(request), setsOwner, true, false));
        JsonNode answer = readTree(reply);
        if (!answer.isArray() || answer.size() != chunk.size()) {
            throw unexpected(reply, "expected " + chunk.size() + " record results");
        }
        List<RecordResult> results = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
            JsonNode result = answer.get(i);
            String id = SalesforceErrors.text(result, "id");
            if (id == null) {
                // Salesforce leaves the id out of failed results; results come back in request order.
                Object sent = chunk.get(i).get("id");
                id = sent == null ? null : sent.toString();
            }
            List<RecordResult.Error> errors = new ArrayList<>();
            for (JsonNode error : result.path("errors")) {
                errors.add(new RecordResult.Error(SalesforceErrors.text(error, "statusCode"),
                        SalesforceErrors.text(error, "message"), SalesforceErrors.texts(error.get("fields"))));
            }
            results.add(new RecordResult(id, result.path("success").asBoolean(false), errors));
        }
        return results;
    }

    /**
     * Runs a SOQL query and returns every row of every page. For large results prefer
     * {@link #query(String, Consumer)}, which does not hold them all in memory.
     */
    public List<Map<String, Object>> query(String soql) {
        List<Map<String, Object>> rows = new ArrayList<>();
        query(soql, page -> rows.addAll(page.records()));
        return rows;
    }

    /**
     * Runs a SOQL query ({@code GET /query?q=}) and hands each page to {@code perPage}, following
     * {@code nextRecordsUrl} until {@code done}. The quota ceiling is checked before every page, and an exception
     * thrown by {@code perPage} stops the paging.
     */
    public void query(String soql, Consumer<QueryPage> perPage) {
        QueryPage page = queryFirstPage(soql);
        perPage.accept(page);
        while (!page.done()) {
            page = queryNextPage(page.nextRecordsUrl());
            perPage.accept(page);
        }
    }

    /**
     * The first page of a SOQL query ({@code GET /query?q=}); follow {@link QueryPage#nextRecordsUrl()} with
     * {@link #queryNextPage} until {@link QueryPage#done()}. For callers that store each page before reading the
     * next one (sync runs), so that no thread is held between pages.
     */
    public QueryPage queryFirstPage(String soql) {
        if (soql == null || soql.isBlank()) {
            throw new IllegalArgumentException("soql is required");
        }
        return readPage(execute(new Exchange("GET",
                base -> api(base).addPathSegment("query").addQueryParameter("q", soql).build(), null, false, true,
                false)));
    }

    /**
     * The page at {@code nextRecordsUrl} of an earlier page. The quota ceiling is checked first, as for every call.
     *
     * @throws SalesforceException when the URL is missing or not a path on the instance
     */
    public QueryPage queryNextPage(String nextRecordsUrl) {
        // Only a path on the instance: an absolute URL elsewhere would receive our bearer token.
        if (nextRecordsUrl == null || !nextRecordsUrl.startsWith("/") || nextRecordsUrl.startsWith("//")) {
            throw new SalesforceException(200, List.of(new SalesforceError(null,
                    "query page not done but nextRecordsUrl is missing or not a path: " + nextRecordsUrl,
                    List.of())));
        }
        return readPage(execute(new Exchange("GET", base -> base.resolve(nextRecordsUrl), null, false, true, false)));
    }

    /** The org's quota ceiling this client stops at (share of the daily allocation). */
    public double quotaCeiling() {
        return config.quotaCeiling();
    }

    /** Releases the connection pool and OkHttp's threads. */
    @Override
    public void close() {
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }

    // ------------------------------------------------------------------------------------------------------------
    // The request loop: quota guard, token, 401 renewal, retries.

    /**
     * One logical REST call.
     *
     * @param url builds the URL from the instance URL of the token in use, which can change when it is renewed
     * @param ownerWrite send {@code Sforce-Auto-Assign: FALSE}
     * @param idempotent may be replayed after an I/O failure or any 5xx
     * @param ignoreCeiling sent even above the quota ceiling (only for reading the usage itself)
     */
    private record Exchange(String method, Function<HttpUrl, HttpUrl> url, String body, boolean ownerWrite,
            boolean idempotent, boolean ignoreCeiling) {
    }

    /** A fully read answer; bodies are small enough (a query page is at most 2,000 rows) to buffer. */
    private record Reply(int code, String body, Headers headers) {
    }

    private Reply execute(Exchange exchange) {
        boolean sessionRenewed = false;
        int attempt = 1;
        while (true) {
            if (!exchange.ignoreCeiling()) {
                guardQuota();
            }
            AccessToken token;
            try {
                token = auth.token();
            } catch (SalesforceUnavailableException tokenEndpointDown) {
                // Nothing of the call itself was sent yet, so this is safe to retry for any method.
                backOffOrThrow(exchange, attempt++, tokenEndpointDown);
                continue;
            }
            Reply reply;
            try {
                reply = send(exchange, token);
            } catch (IOException e) {
                SalesforceUnavailableException failure = new SalesforceUnavailableException(
                        SalesforceException.NO_RESPONSE,
                        List.of(new SalesforceError(null, exchange.method() + " failed: " + e, List.of())), e);
                // A POST that timed out may have created the record: replaying it could create a duplicate.
                boolean neverSent = e instanceof ConnectException || e instanceof UnknownHostException;
                if (!exchange.idempotent() && !neverSent) {
                    throw failure;
                }
                backOffOrThrow(exchange, attempt++, failure);
                continue;
            }
            recordUsage(reply);
            int code = reply.code();
            if (code == 401) {
                List<SalesforceError> errors = SalesforceErrors.parse(mapper, reply.body());
                if (!sessionRenewed && errors.stream().anyMatch(e -> INVALID_SESSION_ID.equals(e.errorCode()))) {
                    // Expired or revoked token: fetch a new one and replay once. A second 401 means the new token
                    // is refused as well, which another attempt would not change.
                    auth.invalidate(token);
                    sessionRenewed = true;
                    continue;
                }
                throw new SalesforceAuthException(code, errors);
            }
            if (code >= 500) {
                SalesforceUnavailableException failure = new SalesforceUnavailableException(code,
                        SalesforceErrors.parse(mapper, reply.body()), null);
                // 503 means Salesforce did not take the request; a 500/502/504 may hide a completed create.
                if (!exchange.idempotent() && code != 503) {
                    throw failure;
                }
                backOffOrThrow(exchange, attempt++, failure);
                continue;
            }
            if (code >= 400) {
                throw failure(reply);
            }
            return reply;
        }
    }

    private Reply send(Exchange exchange, AccessToken token) throws IOException {
        RequestBody body = exchange.body() == null ? null : RequestBody.create(exchange.body(), JSON);
        Request.Builder request = new Request.Builder()
                .url(exchange.url().apply(token.instanceUrl()))
                .method(exchange.method(), body)
                .header("Authorization", "Bearer " + token.value())
                .header("Accept", "application/json");
        if (exchange.ownerWrite()) {
            request.header(AUTO_ASSIGN_HEADER, "FALSE");
        }
        if (config.clientName() != null) {
            request.header(CALL_OPTIONS_HEADER, "client=" + config.clientName());
        }
        try (Response response = http.newCall(request.build()).execute()) {
            ResponseBody responseBody = response.body();
            return new Reply(response.code(), responseBody == null ? "" : responseBody.string(), response.headers());
        }
    }

    /** Refuses to call once the last reported usage reached the ceiling: stop early rather than exhaust the org. */
    private void guardQuota() {
        ApiUsage last = usage.get();
        if (last != null && last.share() >= config.quotaCeiling()) {
            throw new SalesforceQuotaExceededException(SalesforceException.NO_RESPONSE,
                    List.of(new SalesforceError(SalesforceQuotaExceededException.REQUEST_LIMIT_EXCEEDED,
                            "API usage " + last.used() + "/" + last.max() + " reached the quota ceiling of "
                                    + config.quotaCeiling() + "; not calling Salesforce",
                            List.of())),
                    last, true);
        }
    }

    private void recordUsage(Reply reply) {
        ApiUsage reported = ApiUsage.parse(reply.headers().get(ApiUsage.HEADER));
        if (reported != null) {
            usage.set(reported);
        }
    }

    private SalesforceException failure(Reply reply) {
        List<SalesforceError> errors = SalesforceErrors.parse(mapper, reply.body());
        if (reply.code() == 403 && errors.stream()
                .anyMatch(e -> SalesforceQuotaExceededException.REQUEST_LIMIT_EXCEEDED.equals(e.errorCode()))) {
            // No Retry-After and a rolling 24 h window: retrying now only burns more of nothing. If the answer did not
            // say how far over we are, mark the allocation as used so the guard stops the next calls locally.
            ApiUsage last = usage.get();
            if (last != null && ApiUsage.parse(reply.headers().get(ApiUsage.HEADER)) == null) {
                usage.set(new ApiUsage(Math.max(last.used(), last.max()), last.max()));
            }
            return new SalesforceQuotaExceededException(403, errors, usage.get(), false);
        }
        if (reply.code() == 404) {
            return new SalesforceNotFoundException(errors);
        }
        return new SalesforceException(reply.code(), errors);
    }

    private void backOffOrThrow(Exchange exchange, int attempt, SalesforceUnavailableException failure) {
        if (attempt >= config.maxAttempts()) {
            throw failure;
        }
        // Exponential back-off with "equal jitter": half the delay fixed, half random, so replicas that failed
        // together do not come back together.
        long base = config.retryBaseDelay().toMillis() << Math.min(attempt - 1, 16);
        long delay = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        LOG.log(Level.WARNING, "Salesforce {0} attempt {1}/{2} failed ({3}); retrying in {4} ms",
                exchange.method(), attempt, config.maxAttempts(), failure.getMessage(), delay);
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure;
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // URLs and JSON.

    private HttpUrl.Builder api(HttpUrl instance) {
        return instance.resolve("/services/data/" + config.apiVersion()).newBuilder();
    }

    private HttpUrl.Builder sobjectUrl(HttpUrl instance, String sobject) {
        return api(instance).addPathSegment("sobjects").addPathSegment(apiName(sobject));
    }

    private static String apiName(String name) {
        if (name == null || !API_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a Salesforce API name: " + name);
        }
        return name;
    }

    private static String recordId(String id) {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("record id is required");
        }
        return id;
    }

    private static boolean setsOwner(Map<String, ?> fields) {
        return fields.containsKey("OwnerId");
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(Objects.requireNonNull(value, "body"));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialise the request body", e);
        }
    }

    private JsonNode readTree(Reply reply) {
        try {
            JsonNode root = mapper.readTree(reply.body());
            return root == null ? mapper.missingNode() : root;
        } catch (IOException e) {
            throw unexpected(reply, "unreadable answer");
        }
    }

    private Map<String, Object> readMap(Reply reply) {
        JsonNode root = readTree(reply);
        if (!root.isObject()) {
            throw unexpected(reply, "expected a JSON object");
        }
        return mapper.convertValue(root, MAP);
    }

    private QueryPage readPage(Reply reply) {
        JsonNode root = readTree(reply);
        if (!root.isObject() || !root.path("records").isArray()) {
            throw unexpected(reply, "expected a query page");
        }
        List<Map<String, Object>> records = new ArrayList<>(root.path("records").size());
        for (JsonNode record : root.path("records")) {
            records.add(mapper.convertValue(record, MAP));
        }
        return new QueryPage(root.path("totalSize").asLong(records.size()), root.path("done").asBoolean(true),
                SalesforceErrors.text(root, "nextRecordsUrl"), records);
    }

    /** Reads the 300 answer of an upsert: a JSON array of the matching records' URLs. */
    private List<String> candidates(String body) {
        try {
            return SalesforceErrors.texts(mapper.readTree(body));
        } catch (IOException | RuntimeException unreadable) {
            return List.of();
        }
    }

    private SalesforceException unexpected(Reply reply, String what) {
        String body = reply.body() == null ? "" : reply.body();
        String start = body.length() > 200 ? body.substring(0, 200) + "..." : body;
        return new SalesforceException(reply.code(), List.of(new SalesforceError(null, what + ": " + start,
                List.of())));
    }
}
