package com.revops.feedback.insights;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Which attribute values predict disqualification, and by how many score points a lead-scoring model might move
 * them. Plain Java.
 *
 * <p>Only <em>fit</em> outcomes count against an attribute: a lead disqualified as not our profile, spam or invalid
 * data says the attribute attracts the wrong people; "bad timing", "unresponsive" or "chose a competitor" say
 * nothing about fit, and scoring tools that learn them as the same negative punish good segments.
 *
 * <p>The suggestion is conservative: a value must have at least {@code minSample} leads, and its Wilson interval
 * must lie entirely above (or below) the baseline; the distance from the baseline to the <em>nearest</em> bound of
 * the interval, times {@code pointsPerUnit}, capped at {@code maxPoints}, is the adjustment.
 */
public final class ScoringAdvisor {

    /** Reason categories that speak against the lead's fit. */
    public static final Set<String> FIT_NEGATIVE = Set.of("fit", "spam", "data-quality");

    private ScoringAdvisor() {
    }

    /** The counts of one attribute value. */
    public record Input(String value, long leads, long disqualified, long fitNegative) {
    }

    public record Settings(double z, int minSample, double pointsPerUnit, int maxPoints) {
    }

    /**
     * @param rate         all disqualifications / leads
     * @param fitRate      fit-negative disqualifications / leads
     * @param lift         fitRate / baseline fit rate (null when the baseline is 0)
     * @param adjustment   suggested score points (negative: the value predicts poor fit)
     * @param basis        insufficient-sample, worse-than-baseline, better-than-baseline or not-significant
     */
    public record Suggestion(String value, long leads, long disqualified, double rate, WilsonInterval rateInterval,
            long fitNegative, double fitRate, WilsonInterval fitInterval, Double lift, int adjustment, String basis) {
    }

    /** The baseline and the suggestions of one dimension, strongest adjustments first. */
    public record Advice(long leads, long disqualified, long fitNegative, double baselineRate, double baselineFitRate,
            List<Suggestion> values) {
    }

    public static Advice advise(List<Input> inputs, Settings s) {
        long leads = inputs.stream().mapToLong(Input::leads).sum();
        long disqualified = inputs.stream().mapToLong(Input::disqualified).sum();
        long fitNegative = inputs.stream().mapToLong(Input::fitNegative).sum();
        double baseRate = leads == 0 ? 0 : (double) disqualified / leads;
        double baseFit = leads == 0 ? 0 : (double) fitNegative / leads;
        List<Suggestion> out = new ArrayList<>();
        for (Input in : inputs) {
            double rate = in.leads() == 0 ? 0 : (double) in.disqualified() / in.leads();
            double fitRate = in.leads() == 0 ? 0 : (double) in.fitNegative() / in.leads();
            WilsonInterval fitInterval = WilsonInterval.of(in.fitNegative(), in.leads(), s.z());
            int adjustment = 0;
            String basis;
            if (in.leads() < s.minSample()) {
                basis = "insufficient-sample";
            } else if (fitInterval.lower() > baseFit) {
                adjustment = -points(fitInterval.lower() - baseFit, s);
                basis = "worse-than-baseline";
            } else if (fitInterval.upper() < baseFit) {
                adjustment = points(baseFit - fitInterval.upper(), s);
                basis = "better-than-baseline";
            } else {
                basis = "not-significant";
            }
            out.add(new Suggestion(in.value(), in.leads(), in.disqualified(), RateTable.round(rate),
                    WilsonInterval.of(in.disqualified(), in.leads(), s.z()), in.fitNegative(),
                    RateTable.round(fitRate), fitInterval, baseFit == 0 ? null : RateTable.round(fitRate / baseFit),
                    adjustment, basis));
        }
        out.sort(Comparator.comparingInt((Suggestion x) -> Math.abs(x.adjustment())).reversed()
                .thenComparing(Comparator.comparingLong(Suggestion::leads).reversed())
                .thenComparing(Suggestion::value));
        return new Advice(leads, disqualified, fitNegative, RateTable.round(baseRate), RateTable.round(baseFit), out);
    }

    /**
     * The adjustment of one lead: the sum of the adjustments of its attribute values, capped at {@code maxPoints}
     * either way (several correlated attributes must not add up to an extreme score).
     *
     * @param values      the lead's value per dimension (a missing one counts as {@code (none)})
     * @param adjustments dimension -> value -> suggested adjustment
     */
    public static int leadAdjustment(java.util.Map<String, String> values,
            java.util.Map<String, java.util.Map<String, Integer>> adjustments, int maxPoints) {
        int sum = 0;
        for (var dim : adjustments.entrySet()) {
            String value = values.get(dim.getKey());
            sum += dim.getValue().getOrDefault(value == null ? "(none)" : value, 0);
        }
        return Math.max(-maxPoints, Math.min(maxPoints, sum));
    }

    private static int points(double distance, Settings s) {
        return (int) Math.min(s.maxPoints(), Math.round(distance * s.pointsPerUnit()));
    }
}
