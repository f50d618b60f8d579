import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.revops.feedback.insights.InsightsRepository;
import com.revops.feedback.insights.RateTable;
import com.revops.feedback.insights.ScoringAdvisor;
import com.revops.feedback.insights.WilsonInterval;
import com.revops.feedback.web.Csv;

/**
 * feedback-service benchmark driver (plain Java, no JMH; run by feedback-service/bench/run-bench.sh, never by
 * mvn verify). Prints its figures.
 *
 * <p>1. Plain Java: Wilson intervals, the rate table and scoring advice over many values, CSV rows.
 * 2. PostgreSQL: a throwaway database with the service's migrations, N leads with a realistic spread of sources,
 * campaigns and countries, 26% disqualified; then the insights aggregate query, the scoring query and the
 * first page of the filtered list, each timed over several rounds (median).
 */
public class InsightsBenchmark {

    public static void main(String[] args) throws Exception {
        int leads = Integer.parseInt(arg(args, "--leads", "200000"));
        int rounds = Integer.parseInt(arg(args, "--rounds", "5"));
        String url = arg(args, "--jdbc", "jdbc:postgresql://localhost:5432/feedback_bench");
        String migrations = arg(args, "--migrations", "feedback-service/src/main/resources/db/migration");
        pureJava();
        if (!"none".equals(url)) {
            database(url, migrations, leads, rounds);
        }
    }

    static void pureJava() {
        SplittableRandom rnd = new SplittableRandom(42);
        long n = 5_000_000;
        double sink = 0;
        long t0 = System.nanoTime();
        for (long i = 0; i < n; i++) {
            int total = 1 + rnd.nextInt(10_000);
            sink += WilsonInterval.of(rnd.nextInt(total + 1), total, 1.96).lower();
        }
        report("Wilson intervals", n, System.nanoTime() - t0, "intervals/s");

        List<RateTable.Cell> cells = new ArrayList<>();
        List<ScoringAdvisor.Input> inputs = new ArrayList<>();
        for (int v = 0; v < 5_000; v++) {
            long l = 10 + rnd.nextInt(5_000);
            long d = rnd.nextLong(l + 1);
            long fit = rnd.nextLong(d + 1);
            cells.add(new RateTable.Cell("campaign-" + v, l, d, Map.of("NOT_ICP", fit, "BAD_TIMING", d - fit),
                    Map.of("fit", fit, "timing", d - fit)));
            inputs.add(new ScoringAdvisor.Input("campaign-" + v, l, d, fit));
        }
        int reps = 200;
        t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            sink += RateTable.compute(cells, 1.96).baselineRate();
        }
        report("Rate table, 5,000 values", reps, System.nanoTime() - t0, "tables/s");
        t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            sink += ScoringAdvisor.advise(inputs, new ScoringAdvisor.Settings(1.96, 30, 100, 20)).baselineFitRate();
        }
        report("Scoring advice, 5,000 values", reps, System.nanoTime() - t0, "advices/s");

        List<Object> row = Arrays.asList("6f1c2b1e-8d4e-4c57-9b0a-3a1f1e5d2c01", "hubspot", "51234",
                Instant.parse("2026-11-23T10:00:00Z"), "ACTIVE", "PROVIDED", "OTHER", "other",
                "said: \"call me in Q3\", then hung up", "Zoë, \"Ünïcode\" GmbH", "paid-search", "google-ads",
                "q4-demo-push", null, "DE", "51-200", "Software", null, "high", "sam.sdr", "sdr-east", "emea", 3600L,
                420L, false, Instant.parse("2026-11-23T11:00:00Z"), null);
        long rows = 1_000_000;
        long bytes = 0;
        t0 = System.nanoTime();
        for (long i = 0; i < rows; i++) {
            bytes += Csv.row(row).length();
        }
        report("CSV rows (28 fields, quoting)", rows, System.nanoTime() - t0,
                "rows/s (" + bytes / rows + " chars/row)");
        if (sink == 42) {
            System.out.println();
        }
    }

    static void database(String url, String migrations, int leads, int rounds) throws Exception {
        String base = url.substring(0, url.lastIndexOf('/'));
        String db = url.substring(url.lastIndexOf('/') + 1);
        try (Connection admin = DriverManager.getConnection(base + "/postgres", "postgres", "");
                Statement s = admin.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            s.execute("CREATE DATABASE " + db);
        }
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            for (String v : List.of("V1__lead_context.sql", "V2__taxonomy_and_context.sql",
                    "V3__disqualifications.sql", "V4__disqualification_lead_index.sql")) {
                try (Statement s = c.createStatement()) {
                    s.execute(Files.readString(Path.of(migrations, v)));
                }
            }
            long t0 = System.nanoTime();
            try (Statement s = c.createStatement()) {
                s.execute("""
                        INSERT INTO lead_context (lead_id, crm, crm_id, country, company_size, industry, source,
                          channel, campaign, intent_tier, crm_created_at, team_name, owner_username, first_seen_at)
                        SELECT gen_random_uuid(), 'hubspot', 'hs-' || g,
                               (ARRAY['US','DE','FR','GB','NL','ES','IT','BR','IN','JP'])[1 + g % 10],
                               (ARRAY['1-10','11-50','51-200','201-1000','1000+'])[1 + g % 5],
                               (ARRAY['Software','Retail','Finance','Health','Education','Manufacturing'])[1 + g % 6],
                               (ARRAY['paid-search','paid-social','organic','events','webinar','partner','email',
                                      'content'])[1 + g % 8],
                               'ch-' || (g % 12), 'campaign-' || (g % 400), 'medium',
                               timestamptz '2026-01-01' + (g % 300) * interval '1 day',
                               'sdr-' || (g % 6), 'sdr' || (g % 60), now()
                          FROM generate_series(1, LEADS) g""".replace("LEADS", Integer.toString(leads)));
                s.execute("""
                        INSERT INTO disqualification (id, lead_id, crm, crm_id, state, reason_state, reason_code,
                          reason_category, disqualified_at, captured_via, no_contact_attempt, source, channel,
                          campaign, country, team_name, owner_username)
                        SELECT gen_random_uuid(), lead_id, crm, crm_id,
                               CASE WHEN random() < 0.05 THEN 'RECYCLED' ELSE 'ACTIVE' END,
                               CASE WHEN random() < 0.1 THEN 'MISSING' ELSE 'PROVIDED' END,
                               (ARRAY['NO_BUDGET','NOT_ICP','BAD_TIMING','UNRESPONSIVE','SPAM'])[1 + abs(hashtext(crm_id) % 5)],
                               NULL, crm_created_at + interval '3 days', 'event', random() < 0.2, source, channel,
                               campaign, country, team_name, owner_username
                          FROM lead_context WHERE random() < 0.26""");
                s.execute("""
                        UPDATE disqualification d SET reason_category = r.category FROM reason_code r
                         WHERE r.code = d.reason_code AND d.reason_state = 'PROVIDED'""");
                s.execute("UPDATE disqualification SET reason_code = NULL WHERE reason_state = 'MISSING'");
                s.execute("ANALYZE");
            }
            long dq;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "SELECT count(*) FROM disqualification")) {
                rs.next();
                dq = rs.getLong(1);
            }
            System.out.printf("%n%,d leads and %,d disqualifications loaded in %.1f s%n", leads, dq,
                    (System.nanoTime() - t0) / 1e9);

            Timestamp from = Timestamp.from(Instant.parse("2026-01-01T00:00:00Z"));
            Timestamp to = Timestamp.from(Instant.parse("2027-01-01T00:00:00Z"));
            for (String column : List.of("source", "campaign", "country")) {
                String sql = "SELECT coalesce(lc." + column + ", '(none)') AS value, coalesce(d.reason_code, CASE WHEN "
                        + "d.id IS NULL THEN NULL ELSE 'MISSING' END) AS reason, coalesce(d.reason_category, CASE WHEN "
                        + "d.id IS NULL THEN NULL ELSE 'missing' END) AS category, count(*) AS leads, "
                        + "count(d.id) AS disqualified " + InsightsRepository.COHORT.replace("$1", "?")
                                .replace("$2", "?") + " GROUP BY 1, 2, 3";
                timed("aggregates by " + column + " (whole year cohort)", rounds, c, sql, from, to);
            }
            timed("scoring inputs by campaign", rounds, c, "SELECT coalesce(lc.campaign, '(none)') AS value, "
                    + "count(*), count(d.id), count(d.id) FILTER (WHERE d.reason_category IN ('fit','spam',"
                    + "'data-quality')) " + InsightsRepository.COHORT.replace("$1", "?").replace("$2", "?")
                    + " GROUP BY 1", from, to);
            timed("list page (50, filtered by source, newest first)", rounds, c,
                    "SELECT * FROM disqualification d WHERE d.source = ? AND d.disqualified_at >= ? "
                            + "ORDER BY d.disqualified_at DESC, d.id DESC LIMIT 51", "webinar", from);
            timed("missing-reasons page (50, oldest first)", rounds, c,
                    "SELECT * FROM disqualification d WHERE d.state = 'ACTIVE' AND d.reason_state = 'MISSING' "
                            + "ORDER BY d.disqualified_at ASC, d.id ASC LIMIT 51");
        } finally {
            try (Connection admin = DriverManager.getConnection(base + "/postgres", "postgres", "");
                    Statement s = admin.createStatement()) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    static void timed(String name, int rounds, Connection c, String sql, Object... params) throws Exception {
        long[] ns = new long[rounds];
        int rows = 0;
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rows = 0;
                    while (rs.next()) {
                        rows++;
                    }
                }
            }
            ns[r] = System.nanoTime() - t0;
        }
        Arrays.sort(ns);
        System.out.printf("%-52s median %8.1f ms  (min %.1f, %d rows)%n", name, ns[rounds / 2] / 1e6, ns[0] / 1e6,
                rows);
    }

    static void report(String name, long n, long nanos, String unit) {
        System.out.printf("%-52s %,14.0f %s%n", name, n / (nanos / 1e9), unit);
    }

    static String arg(String[] args, String name, String fallback) {
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals(name)) {
                return args[i + 1];
            }
        }
        return fallback;
    }
}
