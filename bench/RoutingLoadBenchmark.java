import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DeliverCallback;

/**
 * Load driver for lead-routing-service (run by bench/run-routing-load.sh). Phase 1: lead.created at a fixed rate ->
 * owner.assign, latency per lead from publish to command received. Phase 2: deadline precision with many open timers.
 * Only talks to localhost.
 */
public class RoutingLoadBenchmark {

    static String url = "http://localhost:18081";
    static String vhost = "revops-bench";
    static String db = "lead_routing_bench";
    static int rate = 200;
    static int duration = 30;
    static int warmup = 5;
    static int timers = 100_000;
    static int probes = 1200;
    /** The service's process id (given by run-routing-load.sh), for the CPU it used per lead; 0: not measured. */
    static long servicePid = 0;
    static final HttpClient HTTP = HttpClient.newHttpClient();

    public static void main(String[] args) throws Exception {
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--url" -> url = args[i + 1];
                case "--vhost" -> vhost = args[i + 1];
                case "--db" -> db = args[i + 1];
                case "--rate" -> rate = Integer.parseInt(args[i + 1]);
                case "--duration" -> duration = Integer.parseInt(args[i + 1]);
                case "--warmup" -> warmup = Integer.parseInt(args[i + 1]);
                case "--timers" -> timers = Integer.parseInt(args[i + 1]);
                case "--probes" -> probes = Integer.parseInt(args[i + 1]);
                case "--service-pid" -> servicePid = Long.parseLong(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (!URI.create(url).getHost().matches("localhost|127\\..*")) {
            throw new IllegalArgumentException("only localhost");
        }
        String token = token();
        setup(token);
        latency();
        deadlines();
    }

    static String token() throws Exception {
        String kc = System.getenv().getOrDefault("KEYCLOAK_URL", "http://localhost:8180");
        String form = "grant_type=password&client_id=revenue-cli&username=alice.admin&password="
                + URLEncoder.encode(System.getenv().getOrDefault("DEMO_PASSWORD", "demo"), StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(kc
                + "/realms/revenue/protocol/openid-connect/token")).header("Content-Type",
                        "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(r.body());
        if (!m.find()) {
            throw new IllegalStateException("no token: " + r.body());
        }
        return m.group(1);
    }

    static String call(String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " -> " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** 20 reps in 4 teams, 10 rules (the last a catch-all), SLA policies for both phases. */
    static void setup(String token) throws Exception {
        System.out.println("== setup: 20 reps, 4 teams, 10 rules");
        List<String> teamIds = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            String body = call(token, "POST", "/admin/teams", "{\"name\":\"bench-" + t + "\"}");
            Matcher m = Pattern.compile("\"id\":\"([^\"]+)\"").matcher(body);
            m.find();
            teamIds.add(m.group(1));
        }
        for (int i = 0; i < 20; i++) {
            call(token, "PUT", "/admin/reps/bench-rep-" + i, "{\"hubspotOwnerId\":\"9" + i
                    + "\",\"timeZone\":\"UTC\",\"capacity\":100000}");
            call(token, "PUT", "/admin/teams/" + teamIds.get(i % 4) + "/members/bench-rep-" + i,
                    "{\"weight\":" + (1 + i % 3) + "}");
        }
        StringBuilder rules = new StringBuilder();
        String[] countries = {"DE", "FR", "GB", "US", "CA", "JP", "AU", "BR", "IN"};
        for (int r = 0; r < 9; r++) {
            rules.append("{\"name\":\"r").append(r).append("\",\"when\":{\"and\":[{\"field\":\"country\",\"op\":\"eq\","
                    + "\"value\":\"").append(countries[r]).append("\"},{\"field\":\"channel\",\"op\":\"in\",\"values\":"
                    + "[\"bench\",\"paid\"]}]},\"then\":{\"type\":\"team\",\"team\":\"bench-").append(r % 4)
                    .append("\"}},");
        }
        rules.append("{\"name\":\"catch-all\",\"then\":{\"type\":\"team\",\"team\":\"bench-0\"}}");
        String draft = call(token, "POST", "/routing/rule-sets", "{\"definition\":{\"fallbackQueue\":\"triage\","
                + "\"rules\":[" + rules + "]}}");
        Matcher v = Pattern.compile("\"version\":(\\d+)").matcher(draft);
        v.find();
        call(token, "POST", "/routing/rule-sets/" + v.group(1) + "/validate", null);
        call(token, "POST", "/routing/rule-sets/" + v.group(1) + "/publish", null);
        call(token, "PUT", "/admin/sla-policies/bench-timers", "{\"priority\":0,\"channel\":\"bench-timers\","
                + "\"targetSeconds\":86400,\"clock\":\"WALL\",\"warningRatio\":0.75,\"maxReassignments\":0,"
                + "\"fallbackQueue\":\"bench-escalations\",\"active\":true}");
    }

    static void latency() throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost("localhost");
        f.setVirtualHost(vhost);
        try (com.rabbitmq.client.Connection conn = f.newConnection()) {
            Channel consume = conn.createChannel();
            consume.exchangeDeclare("crm.commands", "topic", true);
            consume.exchangeDeclare("crm.events", "topic", true);
            String q = consume.queueDeclare().getQueue();
            consume.queueBind(q, "crm.commands", "owner.assign");
            Map<String, Long> sent = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Pattern objectId = Pattern.compile("\"objectId\":\\s*\"(bench-[^\"]+)\"");
            java.util.concurrent.atomic.AtomicLong deliveries = new java.util.concurrent.atomic.AtomicLong();
            DeliverCallback cb = (tag, d) -> {
                long now = System.nanoTime();
                if (deliveries.getAndIncrement() == 0 && System.getenv("BENCH_DEBUG") != null) {
                    System.out.println("first command: " + new String(d.getBody(), StandardCharsets.UTF_8));
                }
                Matcher m = objectId.matcher(new String(d.getBody(), StandardCharsets.UTF_8));
                if (m.find()) {
                    Long t0 = sent.remove(m.group(1));
                    if (t0 != null && t0 != Long.MIN_VALUE) {
                        latencies.add(now - t0);
                    }
                }
            };
            consume.basicConsume(q, true, cb, tag -> { });
            Channel publish = conn.createChannel();
            publish.confirmSelect();
            System.out.printf("== phase 1: lead.created at %d/s for %d s (+%d s warm-up) -> owner.assign%n", rate,
                    duration, warmup);
            var timer = Executors.newSingleThreadScheduledExecutor();
            long total = (long) rate * (duration + warmup);
            long warmCount = (long) rate * warmup;
            long[] n = {0};
            @SuppressWarnings("unchecked")
            java.util.concurrent.CompletableFuture<Cpu>[] cpuAtStart = new java.util.concurrent.CompletableFuture[1];
            long periodNanos = 1_000_000_000L / rate;
            String[] countries = {"DE", "FR", "GB", "US", "CA", "JP", "AU", "BR", "IN", "MX"};
            var done = new java.util.concurrent.CountDownLatch(1);
            timer.scheduleAtFixedRate(() -> {
                try {
                    if (n[0] >= total) {
                        done.countDown();
                        return;
                    }
                    long i = n[0]++;
                    UUID lead = UUID.randomUUID();
                    String crmId = "bench-" + lead;
                    String body = "{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"type\":\"lead.created\","
                            + "\"source\":\"/bench\",\"subject\":\"lead/" + lead + "\",\"data\":{\"leadId\":\"" + lead
                            + "\",\"crm\":\"hubspot\",\"crmId\":\"" + crmId + "\",\"email\":\"p" + i + "@co" + i
                            + ".example\",\"country\":\"" + countries[(int) (i % 10)] + "\",\"channel\":\"paid\","
                            + "\"intentTier\":\"high\",\"createdAt\":\"" + Instant.now() + "\"}}";
                    if (i == warmCount) {
                        // off the publishing thread: a JDBC connect here would delay the next leads
                        cpuAtStart[0] = java.util.concurrent.CompletableFuture.supplyAsync(RoutingLoadBenchmark::cpu);
                    }
                    sent.put(crmId, i < warmCount ? Long.MIN_VALUE : System.nanoTime());
                    publish.basicPublish("crm.events", "lead.created", new AMQP.BasicProperties.Builder()
                            .messageId(UUID.randomUUID().toString()).contentType("application/cloudevents+json")
                            .deliveryMode(2).build(), body.getBytes(StandardCharsets.UTF_8));
                } catch (Exception e) {
                    e.printStackTrace();
                    done.countDown();
                }
            }, 0, periodNanos, TimeUnit.NANOSECONDS);
            done.await();
            timer.shutdownNow();
            long measured = total - warmCount;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (latencies.size() < measured && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Cpu cpuAtEnd = cpu();
            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            System.out.printf("sent %d measured leads, received %d owner.assign commands (%d missing; %d deliveries)%n",
                    measured, l.size(), measured - l.size(), deliveries.get());
            if (!l.isEmpty()) {
                System.out.printf("event-to-command latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f  (goal p99 < 100)%n",
                        ms(l, 0.5), ms(l, 0.9), ms(l, 0.99), l.get(l.size() - 1) / 1e6);
            }
            stages();
            Cpu cpuStart = cpuAtStart[0] == null ? null : cpuAtStart[0].join();
            if (cpuStart != null && cpuAtEnd != null && measured > 0) {
                double tick = 1000.0 / 100; // ms per clock tick (USER_HZ is 100 on Linux)
                long pg = 0;
                for (var e : cpuAtEnd.pg().entrySet()) {
                    pg += e.getValue() - cpuStart.pg().getOrDefault(e.getKey(), e.getValue());
                }
                System.out.printf("  CPU per measured lead: service %.2f ms, PostgreSQL backends %.2f ms "
                        + "(backends connected at both ends of the measured window)%n",
                        (cpuAtEnd.service() - cpuStart.service()) * tick / measured, pg * tick / measured);
            }
        }
    }

    /** CPU ticks (user + system) of the service and of each PostgreSQL backend of the benchmark database. */
    record Cpu(long service, Map<Long, Long> pg) {
    }

    static Cpu cpu() {
        if (servicePid <= 0) {
            return null;
        }
        Map<Long, Long> pg = new java.util.HashMap<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + db, "postgres", "");
                var st = c.createStatement();
                var rs = st.executeQuery("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                        + "AND pid <> pg_backend_pid()")) {
            while (rs.next()) {
                long pid = rs.getLong(1);
                long t = ticks(pid);
                if (t >= 0) {
                    pg.put(pid, t);
                }
            }
        } catch (Exception e) {
            System.out.println("  (no PostgreSQL CPU figures: " + e.getMessage() + ")");
        }
        return new Cpu(Math.max(0, ticks(servicePid)), pg);
    }

    /** utime + stime of a process from /proc/<pid>/stat, -1 when unreadable. */
    static long ticks(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception e) {
            return -1;
        }
    }

    /**
     * Where the time went, from the service's own Prometheus timers (their percentiles cover the last minute or
     * two): intake to the end of the routing round, the round itself, outbox row to broker confirm.
     */
    static void stages() {
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/q/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            Map<String, String> names = new java.util.LinkedHashMap<>();
            names.put("routing_new_lead_wait_seconds", "intake -> routed");
            names.put("routing_round_seconds", "routing round");
            names.put("outbox_lag_seconds", "outbox -> confirmed");
            names.put("routing_batch_size", "leads per round");
            for (var e : names.entrySet()) {
                StringBuilder line = new StringBuilder("  " + e.getValue() + ":");
                for (String q : List.of("0.5", "0.9", "0.99")) {
                    Matcher m = Pattern.compile("(?m)^" + e.getKey() + "\\{[^}]*quantile=\"" + q + "\"[^}]*} (\\S+)")
                            .matcher(r.body());
                    if (m.find()) {
                        double v = Double.parseDouble(m.group(1));
                        String label = Map.of("0.5", "p50", "0.9", "p90", "0.99", "p99").get(q);
                        line.append("  ").append(label).append(' ').append(e.getKey().endsWith("_seconds")
                                ? String.format("%.1f ms", v * 1000) : String.format("%.0f", v));
                    }
                }
                System.out.println(line);
            }
        } catch (Exception e) {
            System.out.println("  (no stage figures: " + e.getMessage() + ")");
        }
    }

    static double ms(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1)) / 1e6;
    }

    static void deadlines() throws Exception {
        System.out.printf("== phase 2: %,d open timers, %,d probe deadlines due at 20/s from +10 s%n", timers, probes);
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:5432/" + db, "postgres", "");
                Statement s = c.createStatement()) {
            int n = timers + probes;
            long t0 = System.nanoTime();
            s.execute("INSERT INTO lead (id, crm, crm_id, email, channel, status, owner_username, assigned_at, "
                    + "sla_policy, sla_due_at, sla_state, received_at, updated_at) SELECT gen_random_uuid(), 'hubspot', "
                    + "'bench-t-' || g, 'b' || g || '@t.example', 'bench-timers', 'ASSIGNED', 'bench-rep-0', now(), "
                    + "'bench-timers', now() + interval '1 day', 'RUNNING', now(), now() FROM generate_series(1, " + n
                    + ") g");
            s.execute("INSERT INTO routing_decision (id, lead_id, decided_at, trigger, reason, chosen_username, trace) "
                    + "SELECT gen_random_uuid(), id, now(), 'bench', 'RULE', 'bench-rep-0', '{}' FROM lead "
                    + "WHERE channel = 'bench-timers'");
            s.execute("INSERT INTO lead_assignment (id, lead_id, username, decision_id, assigned_at) SELECT "
                    + "gen_random_uuid(), lead_id, 'bench-rep-0', id, now() FROM routing_decision WHERE trigger = 'bench'");
            s.execute("INSERT INTO sla_timer (id, lead_id, assignment_id, kind, due_at) SELECT gen_random_uuid(), "
                    + "lead_id, id, 'DEADLINE', CASE WHEN rn <= " + probes + " THEN now() + interval '10 seconds' + rn "
                    + "* interval '50 milliseconds' ELSE now() + interval '1 day' END FROM (SELECT a.*, row_number() "
                    + "OVER (ORDER BY a.id) rn FROM lead_assignment a JOIN lead l ON l.id = a.lead_id WHERE l.channel "
                    + "= 'bench-timers') x");
            s.execute("ANALYZE sla_timer");
            System.out.printf("inserted %,d leads and timers in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
            String pending = "SELECT count(*) FROM sla_timer WHERE state = 'PENDING'";
            long deadline = System.currentTimeMillis() + 10_000 + probes * 50L + 60_000;
            while (System.currentTimeMillis() < deadline) {
                try (ResultSet r = s.executeQuery("SELECT count(*) FROM sla_timer WHERE state = 'FIRED'")) {
                    r.next();
                    if (r.getLong(1) >= probes) {
                        break;
                    }
                }
                Thread.sleep(500);
            }
            try (ResultSet r = s.executeQuery(pending)) {
                r.next();
                System.out.printf("open timers left: %,d%n", r.getLong(1));
            }
            try (ResultSet r = s.executeQuery("SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY x), "
                    + "percentile_cont(0.99) WITHIN GROUP (ORDER BY x), max(x) FROM (SELECT extract(epoch FROM "
                    + "fired_at - due_at) x FROM sla_timer WHERE state = 'FIRED') f")) {
                r.next();
                System.out.printf("probe deadlines fired: %d of %d; lateness s: p50 %.3f  p99 %.3f  max %.3f  "
                        + "(goal: within 2 s)%n", r.getLong(1), probes, r.getDouble(2), r.getDouble(3), r.getDouble(4));
            }
        }
    }
}
