package com.revops.feedback.insights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Disqualification rate and reason mix per value of one dimension, against the overall baseline of the same
 * period. Plain Java: the database counts, this class compares.
 */
public final class RateTable {

    private RateTable() {
    }

    /** What the database counted for one value: leads, disqualified leads, and disqualifications per reason. */
    public record Cell(String value, long leads, long disqualified, Map<String, Long> reasons,
            Map<String, Long> categories) {
    }

    /**
     * One value compared with the baseline.
     *
     * @param rate        disqualified / leads
     * @param interval    Wilson interval of the rate
     * @param lift        rate / baseline rate (null when the baseline is 0)
     * @param deltaPoints (rate - baseline) in percentage points
     * @param reasonShare share of each reason code among this value's disqualifications
     */
    public record Row(String value, long leads, long disqualified, double rate, WilsonInterval interval, Double lift,
            double deltaPoints, Map<String, Long> reasons, Map<String, Double> reasonShare,
            Map<String, Long> categories, Map<String, Double> categoryShare, Map<String, Double> categoryShareDelta) {
    }

    /** The whole table: baseline first, then the values by number of leads (largest first). */
    public record Table(long leads, long disqualified, double baselineRate, WilsonInterval baselineInterval,
            Map<String, Long> baselineReasons, Map<String, Double> baselineCategoryShare, List<Row> rows) {
    }

    public static Table compute(List<Cell> cells, double z) {
        long leads = 0;
        long disqualified = 0;
        Map<String, Long> reasons = new TreeMap<>();
        Map<String, Long> categories = new TreeMap<>();
        for (Cell c : cells) {
            leads += c.leads();
            disqualified += c.disqualified();
            c.reasons().forEach((k, v) -> reasons.merge(k, v, Long::sum));
            c.categories().forEach((k, v) -> categories.merge(k, v, Long::sum));
        }
        double baseline = leads == 0 ? 0.0 : (double) disqualified / leads;
        Map<String, Double> baselineCategoryShare = shares(categories);
        List<Row> rows = new ArrayList<>();
        for (Cell c : cells) {
            double rate = c.leads() == 0 ? 0.0 : (double) c.disqualified() / c.leads();
            Map<String, Double> catShare = shares(c.categories());
            Map<String, Double> catDelta = new TreeMap<>();
            for (String k : union(catShare, baselineCategoryShare)) {
                catDelta.put(k, round(catShare.getOrDefault(k, 0.0) - baselineCategoryShare.getOrDefault(k, 0.0)));
            }
            rows.add(new Row(c.value(), c.leads(), c.disqualified(), round(rate),
                    WilsonInterval.of(c.disqualified(), c.leads(), z), baseline == 0 ? null : round(rate / baseline),
                    round((rate - baseline) * 100), new TreeMap<>(c.reasons()), shares(c.reasons()),
                    new TreeMap<>(c.categories()), catShare, catDelta));
        }
        rows.sort(Comparator.comparingLong(Row::leads).reversed().thenComparing(Row::value));
        return new Table(leads, disqualified, round(baseline), WilsonInterval.of(disqualified, leads, z), reasons,
                baselineCategoryShare, rows);
    }

    static Map<String, Double> shares(Map<String, Long> counts) {
        long total = counts.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Double> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, total == 0 ? 0.0 : round((double) v / total)));
        return out;
    }

    private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
        Map<String, Boolean> keys = new LinkedHashMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        return new ArrayList<>(new TreeMap<>(keys).keySet());
    }

    /** Six decimals: enough for rates, stable in JSON. */
    static double round(double v) {
        return Math.round(v * 1_000_000d) / 1_000_000d;
    }
}
