import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end speed to lead through the CRM simulator (JDK only, Java 17): leads are created in the simulated CRM at a
 * fixed rate (open loop) through its driving API, {@code POST /_sim/leads}, so that the simulator sends the signed
 * webhook (HubSpot) or outbound message (Salesforce) to the gateway as the CRM would; the product routes each lead and
 * the gateway writes the owner back into the CRM. For each lead the latency is measured from its scheduled creation
 * time to the owner write recorded in the simulator's write journal ({@code /_sim/writes}, its {@code at}), so a
 * stall anywhere (including in this driver or the simulator) shows in the percentiles instead of lowering the rate.
 * Needs a stack in sandbox mode with routing configured (bench/run-speed-to-lead.sh does both).
 *
 * <pre>
 *   java bench/SpeedToLeadBenchmark.java [--sim http://localhost:8090] [--rate 20] [--duration 60] [--warmup 10]
 *       [--drain 60] [--salesforce-share 0] [--max-inflight 256]
 * </pre>
 *
 * Exit status: 0 when every lead got exactly one owner write; 1 when leads were lost (no owner write within the
 * drain time) or got more than one; 2 when leads could not be created (simulator errors, slots not sent).
 */
public class SpeedToLeadBenchmark {

    record Lead(int index, boolean measured, long scheduledEpochNanos, String crm, String id, long createdEpochNanos) {
    }

    record Write(long seq, long atEpochNanos, String objectId) {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String sim = o.getOrDefault("sim", "http://localhost:8090");
        double rate = Double.parseDouble(o.getOrDefault("rate", "20"));
        int duration = Integer.parseInt(o.getOrDefault("duration", "60"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "10"));
        int drain = Integer.parseInt(o.getOrDefault("drain", "60"));
        double sfShare = Double.parseDouble(o.getOrDefault("salesforce-share", "0"));
        int maxInflight = Integer.parseInt(o.getOrDefault("max-inflight", "256"));
        String host = URI.create(sim).getHost();
        if (!(host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]"))) {
            fail(2, "refusing to drive " + sim + ": the benchmark only calls a simulator on this machine");
        }
        if (rate <= 0 || duration <= 0 || warmup < 0 || drain < 0 || sfShare < 0 || sfShare > 1) {
            fail(2, "bad options (rate > 0, duration > 0, warmup >= 0, drain >= 0, 0 <= salesforce-share <= 1)");
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        // the run's campaigns, and where the write journal stands now
        Object org = get(http, sim + "/_sim/org");
        List<String> campaigns = new ArrayList<>();
        for (Object c : list(field(org, "campaigns"))) {
            campaigns.add(String.valueOf(field(c, "name")));
        }
        if (campaigns.isEmpty()) {
            fail(2, "the simulator has no campaigns");
        }
        long journalStart = number(field(get(http, sim + "/_sim/writes?limit=1"), "lastSeq"));
        String run = Long.toString(System.currentTimeMillis() / 1000 % 1_000_000, 36)
                + Integer.toString((int) (Math.random() * 1296), 36);
        int total = (int) Math.round(rate * (warmup + duration));
        int warmupCount = (int) Math.round(rate * warmup);
        System.out.printf(Locale.ROOT, "speed-to-lead: %d leads at %.1f/s (%d s warm-up, %d s measured), %.0f%% in "
                + "Salesforce, run %s, journal after seq %d%n", total, rate, warmup, duration, sfShare * 100, run,
                journalStart);

        // the journal is read in a loop; each lead's first owner write is its routing decision arriving in the CRM
        Map<String, List<Write>> writes = new ConcurrentHashMap<>();
        AtomicLong journalSeq = new AtomicLong(journalStart);
        AtomicInteger journalErrors = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    readJournal(http, sim, journalSeq, writes);
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    journalErrors.incrementAndGet();
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }, "journal-reader");
        reader.setDaemon(true);
        reader.start();

        // open loop: slot i goes out at start + i / rate, whether or not earlier ones were answered
        Map<Integer, Lead> leads = new ConcurrentHashMap<>();
        Map<String, AtomicInteger> errors = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "creator");
            t.setDaemon(true);
            return t;
        });
        Semaphore inflight = new Semaphore(maxInflight);
        long periodNanos = (long) (1e9 / rate);
        Instant wallStart = Instant.now().plusMillis(200);
        long epochStart = wallStart.getEpochSecond() * 1_000_000_000L + wallStart.getNano();
        long monoStart = System.nanoTime() + Duration.between(Instant.now(), wallStart).toNanos();
        for (int i = 0; i < total; i++) {
            long due = monoStart + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            if (!inflight.tryAcquire()) {
                errors.computeIfAbsent("not sent (max in flight)", k -> new AtomicInteger()).incrementAndGet();
                continue;
            }
            int n = i;
            long scheduled = epochStart + i * periodNanos;
            String crm = Math.random() < sfShare ? "salesforce" : "hubspot";
            String campaign = campaigns.get(n % campaigns.size());
            String tier = new String[] {"HIGH", "MEDIUM", "MEDIUM", "LOW"}[n % 4];
            String body = "{\"crm\":\"" + crm + "\",\"email\":\"stl." + run + "." + n + "@speed" + (n % 40)
                    + ".example.com\",\"firstName\":\"Bench\",\"lastName\":\"Lead " + n
                    + "\",\"company\":\"Speed " + (n % 40) + " Corp\",\"country\":\"Germany\",\"companySize\":"
                    + (50 + n % 500) + ",\"campaign\":\"" + campaign + "\",\"intentTier\":\"" + tier + "\"}";
            pool.execute(() -> {
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(sim + "/_sim/leads"))
                            .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    Instant now = Instant.now();
                    if (r.statusCode() != 201) {
                        errors.computeIfAbsent("create HTTP " + r.statusCode(), k -> new AtomicInteger())
                                .incrementAndGet();
                        return;
                    }
                    String id = String.valueOf(field(Json.parse(r.body()), "id"));
                    leads.put(n, new Lead(n, n >= warmupCount, scheduled, crm, id,
                            now.getEpochSecond() * 1_000_000_000L + now.getNano()));
                } catch (Exception e) {
                    errors.computeIfAbsent("create " + e.getClass().getSimpleName(), k -> new AtomicInteger())
                            .incrementAndGet();
                } finally {
                    inflight.release();
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(60, TimeUnit.SECONDS);
        long sentEnd = System.nanoTime();

        // drain: wait until every created lead has an owner write (or the drain time is over), then a little longer
        // so that a second write for the same lead would be seen
        long drainEnd = sentEnd + TimeUnit.SECONDS.toNanos(drain);
        while (System.nanoTime() < drainEnd && missing(leads, writes) > 0) {
            Thread.sleep(200);
        }
        Thread.sleep(3000);
        reader.interrupt();
        reader.join(5000);
        readJournal(http, sim, journalSeq, writes);

        // results
        List<Long> latencies = new ArrayList<>();
        List<Long> createLatencies = new ArrayList<>();
        int lost = 0;
        int duplicated = 0;
        int measured = 0;
        List<String> lostIds = new ArrayList<>();
        for (Lead l : leads.values()) {
            List<Write> w = writes.get(key(l.crm(), l.id()));
            if (w == null || w.isEmpty()) {
                lost++;
                if (lostIds.size() < 10) {
                    lostIds.add(l.crm() + " " + l.id());
                }
                if (l.measured()) {
                    // a lead without an owner write stays in the percentiles, as slower than any other
                    measured++;
                    latencies.add(Long.MAX_VALUE);
                    createLatencies.add(l.createdEpochNanos() - l.scheduledEpochNanos());
                }
                continue;
            }
            if (w.size() > 1) {
                duplicated++;
            }
            if (l.measured()) {
                measured++;
                long first = w.stream().mapToLong(Write::atEpochNanos).min().orElseThrow();
                latencies.add(first - l.scheduledEpochNanos());
                createLatencies.add(l.createdEpochNanos() - l.scheduledEpochNanos());
            }
        }
        int failed = errors.values().stream().mapToInt(AtomicInteger::get).sum();
        long[] lat = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] cre = createLatencies.stream().mapToLong(Long::longValue).sorted().toArray();
        long underSecond = Arrays.stream(lat).filter(x -> x <= 1_000_000_000L).count();
        System.out.printf(Locale.ROOT, "created %d of %d leads in the CRM (%d measured after the warm-up); owner "
                + "writes received for %d; lost %d; with more than one owner write %d; errors %d%n", leads.size(),
                total, measured, leads.size() - lost, lost, duplicated, failed);
        TreeMap<String, AtomicInteger> sortedErrors = new TreeMap<>(errors);
        sortedErrors.forEach((k, v) -> System.out.printf("  error %s: %d%n", k, v.get()));
        if (journalErrors.get() > 0) {
            System.out.printf("  journal reads that failed (retried): %d%n", journalErrors.get());
        }
        if (!lostIds.isEmpty()) {
            System.out.println("  lost, e.g.: " + String.join(", ", lostIds));
        }
        if (lat.length > 0) {
            System.out.printf(Locale.ROOT, "speed to lead (scheduled creation in the CRM -> owner write in the CRM), "
                    + "%d leads at %.1f/s (a lost one counts as the slowest): p50 %s, p90 %s, p99 %s, max %s; "
                    + "within 1 s: %.1f%%%n", lat.length, rate, ms(pct(lat, 50)), ms(pct(lat, 90)),
                    ms(pct(lat, 99)), ms(lat[lat.length - 1]), 100.0 * underSecond / lat.length);
            System.out.printf(Locale.ROOT, "  of which the simulator's create call (scheduled -> answered): p50 %s, "
                    + "p99 %s, max %s%n", ms(pct(cre, 50)), ms(pct(cre, 99)), ms(cre[cre.length - 1]));
        }
        if (lost > 0 || duplicated > 0) {
            System.exit(1);
        }
        if (failed > 0 || leads.size() < total) {
            System.exit(2);
        }
    }

    /** Reads the journal's owner entries after the last sequence seen, page by page. */
    static void readJournal(HttpClient http, String sim, AtomicLong after, Map<String, List<Write>> writes)
            throws IOException, InterruptedException {
        while (true) {
            Object page = get(http, sim + "/_sim/writes?kind=owner&limit=10000&after=" + after.get());
            List<Object> entries = list(field(page, "writes"));
            for (Object e : entries) {
                long seq = number(field(e, "seq"));
                Instant at = Instant.parse(String.valueOf(field(e, "at")));
                String crm = String.valueOf(field(e, "crm"));
                String id = String.valueOf(field(e, "objectId"));
                writes.computeIfAbsent(key(crm, id), k -> java.util.Collections.synchronizedList(new ArrayList<>()))
                        .add(new Write(seq, at.getEpochSecond() * 1_000_000_000L + at.getNano(), id));
                after.accumulateAndGet(seq, Math::max);
            }
            if (entries.size() < 10000) {
                return;
            }
        }
    }

    /** Salesforce ids compare on their first 15 characters (the journal and the API may use 15 or 18). */
    static String key(String crm, String id) {
        return crm.toLowerCase(Locale.ROOT) + ":" + ("salesforce".equalsIgnoreCase(crm) && id.length() > 15
                ? id.substring(0, 15) : id);
    }

    static int missing(Map<Integer, Lead> leads, Map<String, List<Write>> writes) {
        int n = 0;
        for (Lead l : leads.values()) {
            List<Write> w = writes.get(key(l.crm(), l.id()));
            if (w == null || w.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    static long pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String ms(long nanos) {
        if (nanos == Long.MAX_VALUE) {
            return "none (lost)";
        }
        return String.format(Locale.ROOT, "%.0f ms", nanos / 1e6);
    }

    static Object get(HttpClient http, String url) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return Json.parse(r.body());
    }

    static Object field(Object json, String name) {
        return json instanceof Map<?, ?> m ? m.get(name) : null;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object json) {
        return json instanceof List<?> l ? (List<Object>) l : List.of();
    }

    static long number(Object json) {
        return json instanceof Number n ? n.longValue() : 0;
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> o = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-h") || args[i].equals("--help")) {
                System.out.println("java bench/SpeedToLeadBenchmark.java [--sim http://localhost:8090] [--rate 20] "
                        + "[--duration 60] [--warmup 10] [--drain 60] [--salesforce-share 0] [--max-inflight 256]");
                System.exit(0);
            }
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                fail(2, "unknown argument " + args[i] + " (--help)");
            }
            String k = args[i].substring(2);
            if (!List.of("sim", "rate", "duration", "warmup", "drain", "salesforce-share", "max-inflight")
                    .contains(k)) {
                fail(2, "unknown option --" + k + " (--help)");
            }
            o.put(k, args[++i]);
        }
        return o;
    }

    static void fail(int status, String message) {
        System.err.println("speed-to-lead: " + message);
        System.exit(status);
    }

    /** A minimal JSON reader: objects (LinkedHashMap), arrays (ArrayList), strings, numbers (Long/Double), literals. */
    static final class Json {
        private final String s;
        private int i;

        private Json(String s) {
            this.s = s;
        }

        static Object parse(String text) {
            Json j = new Json(text);
            Object v = j.value();
            j.ws();
            if (j.i != j.s.length()) {
                throw new IllegalArgumentException("trailing characters in JSON at " + j.i);
            }
            return v;
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private Object value() {
            ws();
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') {
                        i++;
                        return m;
                    }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect('}');
                            return m;
                        }
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') {
                        i++;
                        return l;
                    }
                    while (true) {
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') {
                            i++;
                        } else {
                            expect(']');
                            return l;
                        }
                    }
                }
                case '"':
                    return string();
                case 't':
                    i += 4;
                    return Boolean.TRUE;
                case 'f':
                    i += 5;
                    return Boolean.FALSE;
                case 'n':
                    i += 4;
                    return null;
                default: {
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    String n = s.substring(start, i);
                    if (n.isEmpty()) {
                        throw new IllegalArgumentException("unexpected '" + c + "' in JSON at " + start);
                    }
                    return n.contains(".") || n.contains("e") || n.contains("E") ? (Object) Double.parseDouble(n)
                            : (Object) Long.parseLong(n);
                }
            }
        }

        private void expect(char c) {
            if (s.charAt(i) != c) {
                throw new IllegalArgumentException("expected '" + c + "' in JSON at " + i);
            }
            i++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e);
                }
            }
        }
    }
}
