import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import com.revops.attribution.models.AttributionEngine;
import com.revops.attribution.models.AttributionSettings;
import com.revops.attribution.models.DealAttribution;
import com.revops.attribution.models.DealInput;
import com.revops.attribution.models.MarkovChain;
import com.revops.attribution.models.Milestone;
import com.revops.attribution.models.MilestoneWeights;
import com.revops.attribution.models.ModelType;
import com.revops.attribution.models.TouchInput;

/**
 * Attribution benchmark driver (plain Java, no JMH): run by bench/run-attribution.sh, never by mvn verify.
 *
 * <p>1. Generates N deals with T touchpoints each (seeded), optionally writes them as CSV for the PostgreSQL
 * baseline. 2. Full recompute of the 8 rule-based models over every deal on all cores, with the exact-sum check.
 * 3. Markov removal effect fitted over M journeys.
 */
public class AttributionBenchmark {

    static final String[] CHANNELS = {"paid-search", "paid-social", "organic", "email", "events", "webinar",
            "sdr-outbound", "partner", "content", "direct", "review-sites", "display"};
    static final ModelType[] RULE_BASED = {ModelType.FIRST_TOUCH, ModelType.LAST_TOUCH, ModelType.LINEAR,
            ModelType.U_SHAPED, ModelType.W_SHAPED, ModelType.FULL_PATH, ModelType.TIME_DECAY, ModelType.CUSTOM};

    static final List<ModelType> MODELS = List.of(RULE_BASED);

    record Deal(DealInput input, List<TouchInput> touches) {
    }

    public static void main(String[] args) throws Exception {
        int deals = 100_000;
        int touches = 30;
        int journeys = 1_000_000;
        int rounds = 3;
        Path csv = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--deals" -> deals = Integer.parseInt(args[++i]);
                case "--touches" -> touches = Integer.parseInt(args[++i]);
                case "--journeys" -> journeys = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--csv" -> csv = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: AttributionBenchmark [--deals N] [--touches T] [--journeys M] "
                            + "[--rounds R] [--csv DIR]");
                    System.exit(2);
                }
            }
        }
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf("attribution benchmark: %,d deals x %d touchpoints, %,d Markov journeys, %d cores, %s%n",
                deals, touches, journeys, cores, System.getProperty("java.vm.name") + " " + Runtime.version());

        long t0 = System.nanoTime();
        List<Deal> data = generate(deals, touches, 20261123L);
        System.out.printf("generated in %.1f s%n", secs(System.nanoTime() - t0));
        if (csv != null) {
            writeCsv(csv, data);
        }

        // custom weights as configured in the SQL baseline: qualification 50%, closed won 30%, 20% spread
        AttributionSettings settings = AttributionSettings.defaults().withCustom(MilestoneWeights.of(0.2,
                Milestone.QUALIFICATION, 0.5, Milestone.CLOSED_WON, 0.3));
        double best = Double.MAX_VALUE;
        for (int round = 1; round <= rounds; round++) {
            AtomicLong credited = new AtomicLong();
            AtomicLong amounts = new AtomicLong();
            long start = System.nanoTime();
            IntStream.range(0, data.size()).parallel().forEach(i -> {
                Deal d = data.get(i);
                long sumAmounts = 0;
                long sumCredits = 0;
                for (DealAttribution a : AttributionEngine.attributeAll(MODELS, d.input(), d.touches(), settings,
                        false)) {
                    sumAmounts += d.input().amountMinor();
                    sumCredits += a.creditedTotal();
                }
                amounts.addAndGet(sumAmounts);
                credited.addAndGet(sumCredits);
            });
            double s = secs(System.nanoTime() - start);
            best = Math.min(best, s);
            if (credited.get() != amounts.get()) {
                throw new IllegalStateException("credits do not add up: " + credited + " != " + amounts);
            }
            System.out.printf("round %d: rule-based full recompute (%d models x %,d deals = %,d attributions, %,d "
                    + "touch credits) %.2f s, credits sum exactly to amounts: yes%n", round, RULE_BASED.length, deals,
                    (long) RULE_BASED.length * deals, (long) RULE_BASED.length * deals * touches, s);
        }
        System.out.printf("RESULT rule-based full recompute, %,d deals x %d touchpoints, 8 models: best %.2f s "
                + "(goal < 30 s)%n", deals, touches, best);

        // with explanation texts (what the service stores per touch for the explain endpoint), one round
        long start = System.nanoTime();
        IntStream.range(0, data.size()).parallel().forEach(i -> {
            Deal d = data.get(i);
            AttributionEngine.attributeAll(MODELS, d.input(), d.touches(), settings, true);
        });
        System.out.printf("RESULT rule-based full recompute with explanation texts: %.2f s%n",
                secs(System.nanoTime() - start));
        data.clear();

        // Markov over journeys: channel names as the service holds them, counted through the string path
        SplittableRandom r = new SplittableRandom(7);
        long gen = System.nanoTime();
        List<List<String>> paths = new ArrayList<>(journeys);
        boolean[] converted = new boolean[journeys];
        for (int j = 0; j < journeys; j++) {
            int len = 1 + r.nextInt(12);
            String[] p = new String[len];
            boolean touchedSdr = false;
            for (int k = 0; k < len; k++) {
                int c = r.nextInt(CHANNELS.length);
                p[k] = CHANNELS[c];
                touchedSdr |= c == 6;
            }
            paths.add(List.of(p));
            converted[j] = r.nextInt(100) < (touchedSdr ? 9 : 4);
        }
        System.out.printf("generated %,d journeys (avg 6.5 touches) in %.1f s%n", journeys,
                secs(System.nanoTime() - gen));
        for (int round = 1; round <= rounds; round++) {
            long m0 = System.nanoTime();
            MarkovChain.Fitter fitter = new MarkovChain.Fitter();
            for (int j = 0; j < journeys; j++) {
                fitter.add(paths.get(j), converted[j]);
            }
            MarkovChain.Result result = fitter.result();
            double s = secs(System.nanoTime() - m0);
            System.out.printf("round %d: Markov over %,d journeys %.2f s (P(conversion) = %.4f)%n", round, journeys,
                    s, result.conversionProbability());
            if (round == rounds) {
                System.out.printf("RESULT Markov removal effect over %,d journeys: %.2f s (goal < 20 s); weights %s%n",
                        journeys, s, result.weights());
            }
        }
    }

    static List<Deal> generate(int deals, int touches, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Instant base = Instant.parse("2025-01-01T00:00:00Z");
        List<Deal> out = new ArrayList<>(deals);
        for (int d = 0; d < deals; d++) {
            Instant first = base.plusSeconds(r.nextLong(300L * 86_400));
            List<TouchInput> ts = new ArrayList<>(touches);
            long span = 90L * 86_400;
            for (int t = 0; t < touches; t++) {
                String ch = CHANNELS[r.nextInt(CHANNELS.length)];
                ts.add(new TouchInput("d" + d + "-t" + t, first.plusSeconds(r.nextLong(span)), ch, ch, "camp-"
                        + r.nextInt(40), "ad-click", "marketing"));
            }
            Instant lead = first.plusSeconds(r.nextLong(20L * 86_400));
            Instant opp = lead.plusSeconds(r.nextLong(30L * 86_400));
            Instant qualified = opp.plusSeconds(r.nextLong(10L * 86_400));
            Instant closed = qualified.plusSeconds(r.nextLong(60L * 86_400));
            boolean won = r.nextInt(3) == 0;
            long amount = 100_000 + r.nextLong(10_000_000);
            out.add(new Deal(new DealInput("d" + d, amount, "USD", lead, opp, qualified, closed, won, null), ts));
        }
        return out;
    }

    static void writeCsv(Path dir, List<Deal> data) throws IOException {
        Files.createDirectories(dir);
        try (BufferedWriter deals = Files.newBufferedWriter(dir.resolve("deals.csv"));
                BufferedWriter touches = Files.newBufferedWriter(dir.resolve("touches.csv"))) {
            for (Deal d : data) {
                DealInput i = d.input();
                deals.write(i.id() + "," + i.amountMinor() + "," + i.leadCreatedAt() + "," + i.opportunityCreatedAt()
                        + "," + i.qualifiedAt() + "," + i.closedAt() + "," + i.won() + "\n");
                for (TouchInput t : d.touches()) {
                    touches.write(t.id() + "," + i.id() + "," + t.at() + "," + t.channel() + "," + t.campaign() + "\n");
                }
            }
        }
        // the Java credits of the first 1,000 deals, for the SQL cross-check
        AttributionSettings settings = AttributionSettings.defaults().withCustom(MilestoneWeights.of(0.2,
                Milestone.QUALIFICATION, 0.5, Milestone.CLOSED_WON, 0.3));
        try (BufferedWriter credits = Files.newBufferedWriter(dir.resolve("java_credits.csv"))) {
            for (Deal d : data.subList(0, Math.min(1_000, data.size()))) {
                for (DealAttribution a : AttributionEngine.attributeAll(MODELS, d.input(), d.touches(), settings,
                        false)) {
                    for (var t : a.touches()) {
                        if (t.included()) {
                            credits.write(a.model().name().toLowerCase() + "," + d.input().id() + ","
                                    + t.touch().id() + "," + t.amountMinor() + "\n");
                        }
                    }
                }
            }
        }
        System.out.println("wrote " + dir.resolve("deals.csv") + ", " + dir.resolve("touches.csv") + " and "
                + dir.resolve("java_credits.csv"));
    }

    static double secs(long nanos) {
        return Duration.ofNanos(nanos).toMillis() / 1000.0;
    }
}
