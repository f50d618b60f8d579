import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Load driver for the gateway's {@code POST /webhooks/hubspot}: signed (v3) HubSpot webhook deliveries against a
 * gateway on this machine. JDK only, one file: {@code java bench/IngestBenchmark.java --help}.
 *
 * <ul>
 * <li>Phase "throughput": N workers send 100-event batches back to back (closed loop) for D seconds after a warm-up;
 * reports events accepted per second (the sum of {@code accepted} from the 2xx answers: events of deliveries
 * durably stored before their answer), requests per second, errors by status and p50/p99 latency. Then the drain:
 * the gateway splits each stored delivery into its events after answering, so the driver waits until its
 * {@code webhook_events_split_total} counter (scraped from {@code /q/metrics}, incremented when a split commits) has
 * counted every event accepted in the phase, and reports how long after the phase that was and the split rate, so
 * that nobody mistakes accepted for processed.</li>
 * <li>Phase "latency": open loop at a fixed rate of 10-event batches; every request has a slot on a fixed timetable
 * and is sent at its time whatever happened to the earlier ones (never waiting for their answers); latency is
 * measured from the SCHEDULED time to the answer, so a stalled server shows up in the percentiles instead of silently
 * lowering the rate (no coordinated omission). The timetable thread hands each request to a cached pool of threads
 * doing blocking sends ({@code --sender threads}, default) or to {@code HttpClient.sendAsync} ({@code --sender
 * async}); on JDK 17 the async HTTP/1.1 path costs several times more CPU per request and could not hold
 * 1,000 req/s on a busy 2-core machine, where the blocking path did. At most {@code --max-inflight} requests are in
 * flight; slots that could not be sent before the end of the phase are counted as errors.</li>
 * </ul>
 *
 * Every event carries a unique eventId (random 63-bit base per run plus a counter), so the gateway stores each one;
 * the driver refuses any target host other than localhost, 127.x.x.x or ::1. Both phases are bounded in time and in
 * request count. Exit status: 0 all requests answered 2xx; 1 some request failed (non-2xx or exception);
 * 2 bad usage; 3 the gateway refused the signature of the preflight request (401); 4 the preflight failed otherwise.
 */
public final class IngestBenchmark {

    static final String PATH = "/webhooks/hubspot";
    static final String[] TYPES = {"contact.propertyChange", "deal.propertyChange", "company.propertyChange",
            "contact.creation"};
    /** Events of the delivery durably stored before the answer (the gateway splits them afterwards). */
    static final Pattern ACCEPTED = Pattern.compile("\"accepted\"\\s*:\\s*(\\d+)");
    /** The gateway's split counter in its Prometheus scrape. */
    static final Pattern SPLIT_TOTAL = Pattern.compile("(?m)^webhook_events_split_total\\{[^}]*\\}\\s+([0-9.eE+]+)");

    // ------------------------------------------------------------------ options

    static final class Options {
        String url = "http://localhost:8080";
        String publicUrl;
        String secret;
        String phase = "both";
        int duration = 20;
        int warmup = 5;
        int concurrency = 16;
        int rate = 1000;
        int batch = 100;
        int latencyBatch = 10;
        int timeoutSeconds = 10;
        int maxInflight = 512;
        String sender = "threads";
        long maxRequests = 0; // 0 = derived per phase
        int portalId = 62515;
        int drainTimeout = 300;
    }

    static void usage() {
        System.out.println("""
                Usage: java bench/IngestBenchmark.java [options]

                Load test of the gateway's POST /webhooks/hubspot with signed (v3) HubSpot deliveries.

                Options:
                  --url URL              gateway to call; loopback only (default http://localhost:8080)
                  --public-url URL       URL the gateway signs against, GATEWAY_PUBLIC_URL (default: --url)
                  --secret S             HubSpot client secret (default: env HUBSPOT_CLIENT_SECRET, else bench-secret)
                  --phase P              throughput | latency | both (default both)
                  --duration S           measured seconds per phase (default 20)
                  --warmup S             unmeasured warm-up seconds before each phase (default 5)
                  --concurrency N        throughput phase: concurrent workers (default 16)
                  --rate R               latency phase: requests per second, open loop (default 1000)
                  --batch N[,M]          events per request: N for throughput (default 100),
                                         M for latency (default 10); 1..100
                  --latency-batch M      events per request in the latency phase (same as the M above)
                  --timeout S            per-request timeout in seconds (default 10)
                  --max-inflight N       latency phase: cap on requests in flight (default 512)
                  --sender threads|async latency phase: hand each scheduled request to a pool of threads doing
                                         blocking HttpClient.send (default), or use HttpClient.sendAsync;
                                         both keep the timetable and time from the scheduled send. (JDK 17's
                                         sendAsync for HTTP/1.1 topped out near 500 req/s on a loaded
                                         2-core box, so it is not the default.)
                  --max-requests N       cap on requests per phase (default: throughput 2,000,000;
                                         latency rate*(warmup+duration)*2)
                  --drain-timeout S      after the throughput phase, wait at most S seconds for the gateway
                                         to split every accepted event (default 300)
                  --portal-id N          portalId put in the events (default 62515)
                  -h, --help             this help

                Goals (2-core machine): >= 20,000 events/s durably stored (accepted) with 100-event batches;
                p99 < 50 ms at 1,000 req/s with 10-event batches.

                Exit status: 0 all answers 2xx; 1 some request failed (non-2xx or exception); 2 bad usage;
                3 the preflight request got 401 (secret or public URL differ from the gateway's); 4 other
                preflight failure (gateway not reachable?).""");
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = null;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                value = a.substring(eq + 1);
                a = a.substring(0, eq);
            }
            if (a.equals("-h") || a.equals("--help")) {
                usage();
                System.exit(0);
            }
            if (value == null) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException(a + " needs a value");
                }
                value = args[++i];
            }
            switch (a) {
                case "--url" -> o.url = value;
                case "--public-url" -> o.publicUrl = value;
                case "--secret" -> o.secret = value;
                case "--phase" -> o.phase = value;
                case "--duration" -> o.duration = intArg(a, value, 1, 3600);
                case "--warmup" -> o.warmup = intArg(a, value, 0, 600);
                case "--concurrency" -> o.concurrency = intArg(a, value, 1, 1024);
                case "--rate" -> o.rate = intArg(a, value, 1, 100_000);
                case "--batch" -> {
                    String[] parts = value.split(",");
                    if (parts.length > 2) {
                        throw new IllegalArgumentException("--batch takes N or N,M");
                    }
                    o.batch = intArg(a, parts[0].trim(), 1, 100);
                    if (parts.length == 2) {
                        o.latencyBatch = intArg(a, parts[1].trim(), 1, 100);
                    }
                }
                case "--latency-batch" -> o.latencyBatch = intArg(a, value, 1, 100);
                case "--timeout" -> o.timeoutSeconds = intArg(a, value, 1, 600);
                case "--max-inflight" -> o.maxInflight = intArg(a, value, 1, 100_000);
                case "--sender" -> o.sender = value;
                case "--max-requests" -> o.maxRequests = intArg(a, value, 1, 100_000_000);
                case "--portal-id" -> o.portalId = intArg(a, value, 1, Integer.MAX_VALUE);
                case "--drain-timeout" -> o.drainTimeout = intArg(a, value, 1, 3600);
                default -> throw new IllegalArgumentException("unknown option " + a + " (see --help)");
            }
        }
        if (!List.of("throughput", "latency", "both").contains(o.phase)) {
            throw new IllegalArgumentException("--phase must be throughput, latency or both");
        }
        if (!List.of("threads", "async").contains(o.sender)) {
            throw new IllegalArgumentException("--sender must be threads or async");
        }
        o.url = stripSlash(o.url);
        o.publicUrl = stripSlash(o.publicUrl == null ? o.url : o.publicUrl);
        if (o.secret == null) {
            String env = System.getenv("HUBSPOT_CLIENT_SECRET");
            o.secret = env == null || env.isEmpty() ? "bench-secret" : env;
        }
        checkLoopback(o.url);
        return o;
    }

    static int intArg(String name, String v, int min, int max) {
        long n;
        try {
            n = Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " expects a number, got '" + v + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max);
        }
        return (int) n;
    }

    static String stripSlash(String s) {
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** Only ever load this machine: localhost, 127.0.0.0/8 or ::1, given literally. */
    static void checkLoopback(String url) {
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--url is not a URL: " + url);
        }
        if (!"http".equalsIgnoreCase(u.getScheme()) && !"https".equalsIgnoreCase(u.getScheme())) {
            throw new IllegalArgumentException("--url must be http:// or https://");
        }
        String host = u.getHost();
        if (host == null) {
            throw new IllegalArgumentException("--url has no host: " + url);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        boolean ok = host.equalsIgnoreCase("localhost");
        if (!ok && host.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            ok = Arrays.stream(host.split("\\.")).allMatch(p -> Integer.parseInt(p) <= 255);
        }
        if (!ok && host.contains(":")) { // IPv6 literal: parsing a literal does no DNS lookup
            try {
                InetAddress a = InetAddress.getByName(host);
                ok = !(a instanceof Inet4Address) && a.isLoopbackAddress();
            } catch (Exception e) {
                ok = false;
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("refusing to load " + host
                    + ": the benchmark only targets this machine (localhost, 127.x.x.x or ::1)");
        }
    }

    // ------------------------------------------------------------------ requests

    /** Builds signed deliveries; each event gets a unique eventId. Thread-safe. */
    static final class Deliveries {
        final String signedPrefix; // "POST" + public URL + path
        final byte[] key;
        final int portalId;
        final long eventIdBase;
        final AtomicLong counter = new AtomicLong();
        final ThreadLocal<Mac> mac;

        Deliveries(Options o) {
            this.signedPrefix = "POST" + o.publicUrl + PATH;
            this.key = o.secret.getBytes(StandardCharsets.UTF_8);
            this.portalId = o.portalId;
            // random 63-bit base, leaving 2^40 ids of room so base + counter stays positive
            this.eventIdBase = ThreadLocalRandom.current().nextLong(1L << 40, Long.MAX_VALUE - (1L << 40));
            this.mac = ThreadLocal.withInitial(() -> {
                try {
                    Mac m = Mac.getInstance("HmacSHA256");
                    m.init(new SecretKeySpec(key, "HmacSHA256"));
                    return m;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }

        byte[] body(int events) {
            long first = counter.getAndAdd(events);
            long now = System.currentTimeMillis();
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            StringBuilder sb = new StringBuilder(events * 300);
            sb.append('[');
            for (int i = 0; i < events; i++) {
                long n = first + i;
                String type = TYPES[(int) (n % TYPES.length)];
                long objectId = 5000 + rnd.nextLong(1_000_000);
                if (i > 0) {
                    sb.append(',');
                }
                sb.append("{\"eventId\":").append(eventIdBase + n)
                        .append(",\"subscriptionId\":").append(1234 + (n % TYPES.length))
                        .append(",\"portalId\":").append(portalId)
                        .append(",\"appId\":99")
                        .append(",\"occurredAt\":").append(now)
                        .append(",\"subscriptionType\":\"").append(type).append('"')
                        .append(",\"attemptNumber\":0")
                        .append(",\"objectId\":").append(objectId)
                        .append(",\"changeSource\":\"CRM_UI\"");
                if (type.endsWith(".propertyChange")) {
                    sb.append(",\"propertyName\":\"email\",\"propertyValue\":\"bench-").append(n)
                            .append("@example.com\"");
                }
                sb.append('}');
            }
            sb.append(']');
            return sb.toString().getBytes(StandardCharsets.UTF_8);
        }

        /** Base64(HMAC-SHA256(secret, "POST" + uri + body + timestamp)). */
        String sign(byte[] body, String timestamp) {
            Mac m = mac.get();
            m.update(signedPrefix.getBytes(StandardCharsets.UTF_8));
            m.update(body);
            m.update(timestamp.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(m.doFinal());
        }
    }

    static HttpRequest request(Options o, Deliveries d, int events) {
        byte[] body = d.body(events);
        String ts = Long.toString(System.currentTimeMillis());
        return HttpRequest.newBuilder(URI.create(o.url + PATH))
                .timeout(Duration.ofSeconds(o.timeoutSeconds))
                .header("Content-Type", "application/json")
                .header("User-Agent", "HubSpot Connect 2.0 (IngestBenchmark)")
                .header("X-HubSpot-Request-Timestamp", ts)
                .header("X-HubSpot-Signature-v3", d.sign(body, ts))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build();
    }

    static long field(Pattern p, String body) {
        Matcher m = p.matcher(body);
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }

    // ------------------------------------------------------------------ recording

    /** All latencies of one phase, in microseconds; sorted once at the end. Simple and exact. */
    static final class Latencies {
        private long[] values = new long[4096];
        private int n;

        synchronized void add(long micros) {
            if (n == values.length) {
                values = Arrays.copyOf(values, values.length * 2);
            }
            values[n++] = micros;
        }

        synchronized long[] sorted() {
            long[] s = Arrays.copyOf(values, n);
            Arrays.sort(s);
            return s;
        }
    }

    /** Nearest-rank percentile of sorted values (p in 0..100). */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    /** Errors by kind ("HTTP 401", "HttpTimeoutException", ...) and a sample answer per kind. */
    static final class Errors {
        final Map<String, Long> counts = new TreeMap<>();
        final Map<String, String> samples = new TreeMap<>();

        void add(String kind, String sample) {
            add(kind, sample, 1);
        }

        synchronized void add(String kind, String sample, long count) {
            counts.merge(kind, count, Long::sum);
            samples.putIfAbsent(kind, sample == null ? "" : sample.length() > 300 ? sample.substring(0, 300) : sample);
        }

        synchronized long total() {
            return counts.values().stream().mapToLong(Long::longValue).sum();
        }

        synchronized String describe() {
            if (counts.isEmpty()) {
                return "none";
            }
            StringBuilder sb = new StringBuilder();
            counts.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(": ").append(fmt(v)));
            return sb.toString();
        }

        synchronized void printSamples() {
            samples.forEach((k, v) -> {
                if (!v.isEmpty()) {
                    System.out.println("    first " + k + ": " + v.replaceAll("\\s+", " "));
                }
            });
        }

        synchronized boolean has(String kind) {
            return counts.containsKey(kind);
        }
    }

    static String kindOf(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    static String messageOf(Throwable t) {
        while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    // ------------------------------------------------------------------ formatting

    static String fmt(long n) {
        return String.format(Locale.US, "%,d", n);
    }

    static String fmtRate(double r) {
        return r >= 100 ? String.format(Locale.US, "%,.0f", r) : String.format(Locale.US, "%,.1f", r);
    }

    static String ms(long micros) {
        double m = micros / 1000.0;
        if (m < 1) {
            return String.format(Locale.US, "%.2f ms", m);
        }
        if (m < 10) {
            return String.format(Locale.US, "%.1f ms", m);
        }
        return String.format(Locale.US, "%,.0f ms", m);
    }

    /** Parks until the deadline; no spinning, so the driver leaves the CPUs to the gateway (overshoot ~0.1 ms). */
    static void sleepUntil(long deadlineNanos) {
        for (long left; (left = deadlineNanos - System.nanoTime()) > 0;) {
            LockSupport.parkNanos(left);
        }
    }

    // ------------------------------------------------------------------ phases

    record Result(String summary, long failures) {
    }

    /** One signed single-event delivery, to fail fast (and clearly) on a wrong secret or a missing gateway. */
    static int preflight(HttpClient client, Options o, Deliveries d) {
        try {
            HttpResponse<String> r = client.send(request(o, d, 1), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 == 2) {
                System.out.println("preflight: HTTP " + r.statusCode() + " " + r.body());
                if (field(ACCEPTED, r.body()) != 1) {
                    System.out.println("  warning: the preflight event was not counted as accepted");
                }
                return 0;
            }
            System.out.println("preflight: HTTP " + r.statusCode() + " " + r.body());
            if (r.statusCode() == 401) {
                System.out.print("""
                        hint: the gateway refused the signature. The secret (--secret, env HUBSPOT_CLIENT_SECRET,
                        default bench-secret) and the public URL (--public-url, the gateway's GATEWAY_PUBLIC_URL)
                        must be the gateway's. If the stack was started with another secret, restart it
                        (deploy/local/down.sh; HUBSPOT_CLIENT_SECRET=bench-secret deploy/local/up.sh) or pass
                        --secret with the gateway's value.
                        """.indent(2));
                return 3;
            }
            return 4;
        } catch (Exception e) {
            System.out.println("preflight: " + kindOf(e) + ": " + messageOf(e));
            System.out.println("  hint: is the gateway running at " + o.url + "? (deploy/local/up.sh, or bench/run-ingest.sh)");
            return 4;
        } finally {
            System.out.flush();
        }
    }

    static Result throughput(HttpClient client, Options o, Deliveries d) throws InterruptedException {
        long cap = o.maxRequests > 0 ? o.maxRequests : 2_000_000;
        System.out.printf(Locale.US, "%nphase throughput: %d workers, %d-event batches, %d s warm-up + %d s measured "
                + "(cap %s requests)%n", o.concurrency, o.batch, o.warmup, o.duration, fmt(cap));
        System.out.flush();
        Latencies lat = new Latencies();
        Errors errors = new Errors();
        AtomicLong issued = new AtomicLong();
        AtomicLong okMeasured = new AtomicLong();
        AtomicLong storedMeasured = new AtomicLong(); // accepted: durably stored before the 2xx
        AtomicLong storedAll = new AtomicLong();
        double splitBefore = splitTotal(client, o);
        long start = System.nanoTime();
        long measureFrom = start + TimeUnit.SECONDS.toNanos(o.warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(o.duration);

        ExecutorService pool = Executors.newFixedThreadPool(o.concurrency, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
        for (int w = 0; w < o.concurrency; w++) {
            pool.submit(() -> {
                while (System.nanoTime() < end && issued.incrementAndGet() <= cap) {
                    try {
                        HttpRequest req = request(o, d, o.batch);
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = client.send(req, HttpResponse.BodyHandlers.ofString());
                        long t1 = System.nanoTime();
                        boolean measured = t1 >= measureFrom && t1 < end;
                        if (r.statusCode() / 100 == 2) {
                            long stored = field(ACCEPTED, r.body());
                            storedAll.addAndGet(stored);
                            if (measured) {
                                okMeasured.incrementAndGet();
                                storedMeasured.addAndGet(stored);
                            }
                        } else {
                            errors.add("HTTP " + r.statusCode(), r.body());
                        }
                        if (measured) {
                            lat.add((t1 - t0) / 1000);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    } catch (Exception e) {
                        errors.add(kindOf(e), messageOf(e));
                    }
                }
            });
        }
        // progress once a second while the workers run
        pool.shutdown();
        long lastStored = 0;
        while (!pool.awaitTermination(1, TimeUnit.SECONDS)) {
            long s = storedAll.get();
            long elapsed = (System.nanoTime() - start) / 1_000_000_000L;
            System.out.printf(Locale.US, "  %3d s  %s%s events/s accepted, %s errors%n", elapsed,
                    System.nanoTime() < measureFrom ? "(warm-up) " : "", fmt(s - lastStored), fmt(errors.total()));
            lastStored = s;
            if (System.nanoTime() > end + TimeUnit.SECONDS.toNanos(o.timeoutSeconds + 5L)) {
                System.out.println("  workers did not finish in time; abandoning them");
                pool.shutdownNow();
                break;
            }
        }
        double seconds = o.duration;
        long requests = okMeasured.get();
        double eventsPerSec = storedMeasured.get() / seconds;
        double reqPerSec = requests / seconds;
        long[] s = lat.sorted();
        long failures = errors.total();

        System.out.printf(Locale.US, "  requests sent: %s (measured window: %s answered 2xx, %s timed answers)%n",
                fmt(Math.min(issued.get(), cap)), fmt(requests), fmt(s.length));
        System.out.printf(Locale.US, "  events accepted (durably stored before the 2xx): %s/s  (%s in %d s; whole "
                + "phase incl. warm-up %s)%n", fmtRate(eventsPerSec), fmt(storedMeasured.get()), o.duration,
                fmt(storedAll.get()));
        System.out.printf(Locale.US, "  requests:      %s/s%n", fmtRate(reqPerSec));
        System.out.printf(Locale.US, "  latency:       p50 %s, p90 %s, p99 %s, max %s%n", ms(percentile(s, 50)),
                ms(percentile(s, 90)), ms(percentile(s, 99)), ms(s.length == 0 ? 0 : s[s.length - 1]));
        System.out.printf(Locale.US, "  errors:        %s%n", errors.describe());
        errors.printSamples();
        if (issued.get() > cap) {
            System.out.println("  note: stopped at the request cap (--max-requests) before the time was up");
        }
        if (errors.has("HTTP 401")) {
            System.out.println("  hint: 401 means the secret or public URL differ from the gateway's (see --help)");
        }
        String summary = String.format(Locale.US,
                "throughput: %s events/s accepted (%s req/s, %d-event batches, %d workers, %d s), p50 %s, p99 %s, "
                        + "errors %s",
                fmtRate(eventsPerSec), fmtRate(reqPerSec), o.batch, o.concurrency, o.duration,
                ms(percentile(s, 50)), ms(percentile(s, 99)), fmt(failures));
        String drain = drain(client, o, splitBefore, storedAll.get(), start);
        return new Result(summary + (drain == null ? "" : "\n" + drain), failures);
    }

    /** The gateway's count of split events (NaN if its metrics cannot be read). */
    static double splitTotal(HttpClient client, Options o) {
        try {
            HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(o.url + "/q/metrics"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            Matcher m = SPLIT_TOTAL.matcher(r.body());
            return r.statusCode() == 200 && m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    /**
     * Waits until the gateway has split every event accepted in the throughput phase (its split counter grew by at
     * least that many since the phase started), and reports how long after the phase's end that was and the split
     * rate from the phase's start to then.
     */
    static String drain(HttpClient client, Options o, double splitBefore, long accepted, long phaseStart)
            throws InterruptedException {
        if (Double.isNaN(splitBefore)) {
            System.out.println("  drain: not measured (the gateway's /q/metrics has no webhook_events_split_total)");
            return null;
        }
        long phaseEnd = System.nanoTime();
        double atEnd = splitTotal(client, o) - splitBefore;
        long deadline = phaseEnd + TimeUnit.SECONDS.toNanos(o.drainTimeout);
        double split = atEnd;
        while (split < accepted && System.nanoTime() < deadline) {
            Thread.sleep(100);
            double now = splitTotal(client, o);
            if (!Double.isNaN(now)) {
                split = now - splitBefore;
            }
        }
        long done = System.nanoTime();
        double after = (done - phaseEnd) / 1e9;
        double rate = split / ((done - phaseStart) / 1e9);
        boolean complete = split >= accepted;
        System.out.printf(Locale.US, "  drain:         %s of %s accepted events split when the phase ended (backlog "
                + "%s); %s %.1f s after it%n", fmt((long) atEnd), fmt(accepted), fmt(accepted - (long) atEnd),
                complete ? "all split" : "NOT all split (" + fmt((long) split) + ") within", after);
        double drainRate = after > 0 ? (split - atEnd) / after : 0;
        System.out.printf(Locale.US, "  split rate:    %s events/s from the phase's start (warm-up included) until "
                + "the last was split; %s events/s after the phase's end (no more throughput load)%n",
                fmtRate(rate), fmtRate(drainRate));
        return String.format(Locale.US, "drain:      %s events accepted in the phase (warm-up included), %s split "
                + "%.1f s after its end (backlog at its end %s); split %s events/s from the phase's start, %s events/s "
                + "after its end", fmt(accepted), complete ? "all" : "NOT all", after, fmt(accepted - (long) atEnd),
                fmtRate(rate), fmtRate(drainRate));
    }

    static Result latency(HttpClient client, Options o, Deliveries d) throws InterruptedException {
        long total = (long) o.rate * (o.warmup + o.duration);
        long cap = o.maxRequests > 0 ? o.maxRequests : total * 2;
        long scheduledCount = Math.min(total, cap);
        System.out.printf(Locale.US, "%nphase latency: open loop at %s req/s, %d-event batches, %d s warm-up + %d s "
                + "measured (%s requests, at most %s in flight, sender %s)%n", fmt(o.rate), o.latencyBatch, o.warmup,
                o.duration, fmt(scheduledCount), fmt(o.maxInflight), o.sender);
        System.out.flush();
        Latencies lat = new Latencies();
        Errors errors = new Errors();
        Semaphore inflight = new Semaphore(o.maxInflight);
        AtomicLong okMeasured = new AtomicLong();
        AtomicLong sentMeasured = new AtomicLong();
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        ExecutorService senders = Executors.newCachedThreadPool(r -> { // used by --sender threads only
            Thread t = new Thread(r, "bench-sender");
            t.setDaemon(true);
            return t;
        });

        double intervalNanos = 1e9 / o.rate;
        long start = System.nanoTime() + 50_000_000L; // 50 ms to get going
        long measureFrom = start + TimeUnit.SECONDS.toNanos(o.warmup);
        long end = measureFrom + TimeUnit.SECONDS.toNanos(o.duration);
        long maxLag = 0;
        long notSent = 0;
        long nextProgress = start + 1_000_000_000L;
        for (long i = 0; i < scheduledCount; i++) {
            long scheduled = start + (long) (i * intervalNanos);
            if (scheduled >= end) {
                break;
            }
            sleepUntil(scheduled);
            boolean measured = scheduled >= measureFrom;
            // a free in-flight slot, but never waiting past the end of the phase
            long waitNanos = end - System.nanoTime();
            if (waitNanos <= 0 || !inflight.tryAcquire(waitNanos, TimeUnit.NANOSECONDS)) {
                // the timetable ran out while the gateway held every slot: the rest were never sent
                long remaining = Math.max(0, Math.min(scheduledCount,
                        (long) Math.ceil((end - start) / intervalNanos)) - i);
                notSent = remaining;
                errors.add("not sent (" + o.maxInflight + " requests in flight)", null, remaining);
                break;
            }
            HttpRequest req = request(o, d, o.latencyBatch);
            long sentAt = System.nanoTime();
            if (measured) {
                sentMeasured.incrementAndGet();
                maxLag = Math.max(maxLag, sentAt - scheduled);
            }
            CompletableFuture<HttpResponse<String>> sent = o.sender.equals("async")
                    ? client.sendAsync(req, HttpResponse.BodyHandlers.ofString())
                    : CompletableFuture.supplyAsync(() -> {
                        try {
                            return client.send(req, HttpResponse.BodyHandlers.ofString());
                        } catch (Exception e) {
                            throw new CompletionException(e);
                        }
                    }, senders);
            CompletableFuture<Void> f = sent.handle((r, t) -> {
                        long done = System.nanoTime();
                        inflight.release();
                        if (t != null) {
                            errors.add(kindOf(t), messageOf(t));
                        } else if (r.statusCode() / 100 != 2) {
                            errors.add("HTTP " + r.statusCode(), r.body());
                        } else {
                            if (measured) {
                                okMeasured.incrementAndGet();
                            }
                        }
                        if (measured && t == null) { // answered requests only; failures are counted as errors
                            lat.add((done - scheduled) / 1000); // from the SCHEDULED time, not the actual send
                        }
                        return null;
                    });
            futures.add(f);
            if (sentAt >= nextProgress) {
                System.out.printf(Locale.US, "  %3d s  %s%s in flight, %s errors%n",
                        (sentAt - start) / 1_000_000_000L, sentAt < measureFrom ? "(warm-up) " : "",
                        fmt(o.maxInflight - inflight.availablePermits()), fmt(errors.total()));
                nextProgress += 1_000_000_000L;
            }
        }
        // wait for the answers still on their way (each request has its own timeout)
        try {
            CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .get(o.timeoutSeconds + 5L, TimeUnit.SECONDS);
        } catch (Exception e) {
            long pending = futures.stream().filter(f -> !f.isDone()).count();
            System.out.println("  " + pending + " requests did not complete in time");
            errors.add("no answer", null, pending);
        }
        senders.shutdownNow();
        long[] s = lat.sorted();
        double sentRate = sentMeasured.get() / (double) o.duration;
        double okRate = okMeasured.get() / (double) o.duration;
        long failures = errors.total();
        System.out.printf(Locale.US, "  requests sent: %s (%s in the measured window; max send lag behind the "
                + "timetable %s)%n", fmt(futures.size()), fmt(sentMeasured.get()), ms(maxLag / 1000));
        System.out.printf(Locale.US, "  achieved:      %s req/s sent, %s req/s answered 2xx (target %s req/s)%n",
                fmtRate(sentRate), fmtRate(okRate), fmt(o.rate));
        System.out.printf(Locale.US, "  latency from scheduled send: p50 %s, p90 %s, p99 %s, p99.9 %s, max %s "
                + "(%s samples)%n", ms(percentile(s, 50)), ms(percentile(s, 90)), ms(percentile(s, 99)),
                ms(percentile(s, 99.9)), ms(s.length == 0 ? 0 : s[s.length - 1]), fmt(s.length));
        System.out.printf(Locale.US, "  errors:        %s%n", errors.describe());
        errors.printSamples();
        if (notSent > 0) {
            System.out.println("  note: " + fmt(notSent) + " scheduled requests were never sent: the gateway did not "
                    + "keep up with the rate");
        }
        if (errors.has("HTTP 401")) {
            System.out.println("  hint: 401 means the secret or public URL differ from the gateway's (see --help)");
        }
        String summary = String.format(Locale.US,
                "latency:    %s req/s (%d-event batches, %d s): p50 %s, p90 %s, p99 %s, p99.9 %s, max %s, errors %s",
                fmtRate(okRate), o.latencyBatch, o.duration, ms(percentile(s, 50)), ms(percentile(s, 90)),
                ms(percentile(s, 99)), ms(percentile(s, 99.9)), ms(s.length == 0 ? 0 : s[s.length - 1]),
                fmt(failures));
        return new Result(summary, failures);
    }

    // ------------------------------------------------------------------ main

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println("run with --help for the options");
            System.exit(2);
            return;
        }
        Deliveries d = new Deliveries(o);
        ExecutorService clientPool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "bench-http");
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .executor(clientPool)
                .build();

        System.out.println("IngestBenchmark: POST " + o.url + PATH + " (signed for " + o.publicUrl + PATH + ")");
        System.out.println("  phase " + o.phase + ", event ids from " + d.eventIdBase + ", portal " + o.portalId + ", "
                + Runtime.getRuntime().availableProcessors() + " CPUs visible to the driver");
        int pre = preflight(client, o, d);
        if (pre != 0) {
            System.exit(pre);
        }

        List<Result> results = new ArrayList<>();
        if (!o.phase.equals("latency")) {
            results.add(throughput(client, o, d));
        }
        if (!o.phase.equals("throughput")) {
            results.add(latency(client, o, d));
        }

        long failures = results.stream().mapToLong(Result::failures).sum();
        System.out.println();
        System.out.println("summary");
        System.out.println("-------");
        results.forEach(r -> System.out.println(r.summary()));
        System.out.println("goals (2-core machine): >= 20,000 events/s durably stored (accepted) with 100-event batches; "
                + "p99 < 50 ms at 1,000 req/s with 10-event batches");
        System.out.flush();
        System.exit(failures == 0 ? 0 : 1);
    }
}
