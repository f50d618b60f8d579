package com.revops.attribution.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Shapley values of channels for the coalition game "conversion rate of the journeys that used only channels in
 * S": {@code v(S) = conversions(J ⊆ S) / journeys(J ⊆ S)}, {@code v(∅) = 0}. Each channel gets its average
 * marginal contribution over all orders in which channels can join. The values add up to {@code v(all channels)},
 * the overall conversion rate (efficiency), and a channel no journey used gets 0.
 *
 * <p>Up to {@link #EXACT_LIMIT} channels the values are exact (every subset: {@code v} for all 2^n subsets by a
 * subset-sum transform, then the Shapley sum with weights {@code |S|!(n-|S|-1)!/n!}). Above, they are estimated
 * from {@code permutations} random join orders drawn from a {@link SplittableRandom} with the given seed: the same
 * seed gives the same values. Journeys without any channel are left out. A channel whose marginal contributions
 * average below zero (its journeys convert
 * worse than the rest) gets a weight of 0 for credit purposes: credit is never negative.
 */
public final class ShapleyValues {

    public static final int EXACT_LIMIT = 15;
    static final int MAX_CHANNELS = 63;

    private ShapleyValues() {
    }

    /**
     * @param values  channel -> Shapley value (may be negative), channel-name order
     * @param weights values clamped at 0 and normalised to sum to 1
     * @param exact   true when computed over every subset
     */
    public record Result(Map<String, Double> values, Map<String, Double> weights, boolean exact, int permutations) {
    }

    public static Result compute(List<Journey> journeys, long seed, int permutations) {
        List<String> names = new ArrayList<>(new TreeSet<>(journeys.stream().flatMap(j -> j.channels().stream())
                .toList()));
        int n = names.size();
        if (n > MAX_CHANNELS) {
            throw new IllegalArgumentException("Shapley supports at most " + MAX_CHANNELS + " channels, got " + n);
        }
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(names.get(i), i);
        }
        // journeys grouped by their channel set
        Map<Long, long[]> bySet = new HashMap<>();
        for (Journey j : journeys) {
            if (j.channels().isEmpty()) {
                continue; // no channel to credit; it would only shift v of every coalition alike
            }
            long mask = 0;
            for (String c : j.channels()) {
                mask |= 1L << index.get(c);
            }
            long[] agg = bySet.computeIfAbsent(mask, k -> new long[2]);
            agg[0]++;
            if (j.converted()) {
                agg[1]++;
            }
        }
        double[] phi = n <= EXACT_LIMIT ? exact(n, bySet) : sampled(n, bySet, seed, permutations);
        Map<String, Double> values = new LinkedHashMap<>();
        double positive = 0;
        for (int i = 0; i < n; i++) {
            values.put(names.get(i), phi[i]);
            positive += Math.max(0, phi[i]);
        }
        Map<String, Double> weights = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            weights.put(names.get(i), positive <= 0 ? 0.0 : Math.max(0, phi[i]) / positive);
        }
        return new Result(Collections.unmodifiableMap(values), Collections.unmodifiableMap(weights),
                n <= EXACT_LIMIT, n <= EXACT_LIMIT ? 0 : permutations);
    }

    static double[] exact(int n, Map<Long, long[]> bySet) {
        int size = 1 << n;
        double[] total = new double[size];
        double[] conv = new double[size];
        bySet.forEach((mask, agg) -> {
            total[mask.intValue()] += agg[0];
            conv[mask.intValue()] += agg[1];
        });
        // subset-sum (zeta) transform: total[S] = journeys whose set is a subset of S
        for (int b = 0; b < n; b++) {
            for (int s = 0; s < size; s++) {
                if ((s & (1 << b)) != 0) {
                    total[s] += total[s ^ (1 << b)];
                    conv[s] += conv[s ^ (1 << b)];
                }
            }
        }
        double[] v = new double[size];
        for (int s = 1; s < size; s++) {
            v[s] = total[s] == 0 ? 0 : conv[s] / total[s];
        }
        // weight(k) = k! (n-k-1)! / n!
        double[] weight = new double[n];
        for (int k = 0; k < n; k++) {
            weight[k] = 1.0 / (n * binomial(n - 1, k));
        }
        double[] phi = new double[n];
        for (int s = 0; s < size; s++) {
            int k = Integer.bitCount(s);
            if (k == n) {
                continue;
            }
            for (int i = 0; i < n; i++) {
                if ((s & (1 << i)) == 0) {
                    phi[i] += weight[k] * (v[s | (1 << i)] - v[s]);
                }
            }
        }
        return phi;
    }

    static double[] sampled(int n, Map<Long, long[]> bySet, long seed, int permutations) {
        if (permutations <= 0) {
            throw new IllegalArgumentException("permutations must be positive");
        }
        int d = bySet.size();
        long[] masks = new long[d];
        long[] totals = new long[d];
        long[] convs = new long[d];
        // deterministic order of the sets, whatever the HashMap did
        List<Long> keys = new ArrayList<>(bySet.keySet());
        Collections.sort(keys);
        for (int i = 0; i < d; i++) {
            masks[i] = keys.get(i);
            totals[i] = bySet.get(keys.get(i))[0];
            convs[i] = bySet.get(keys.get(i))[1];
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] order = new int[n];
        int[] position = new int[n];
        long[] stepTotal = new long[n];
        long[] stepConv = new long[n];
        double[] phi = new double[n];
        for (int p = 0; p < permutations; p++) {
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            for (int i = n - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int i = 0; i < n; i++) {
                position[order[i]] = i;
            }
            java.util.Arrays.fill(stepTotal, 0);
            java.util.Arrays.fill(stepConv, 0);
            // a journey set becomes a subset of the growing coalition when its last channel (in this order) joins
            for (int s = 0; s < d; s++) {
                long m = masks[s];
                int last = -1;
                while (m != 0) {
                    int c = Long.numberOfTrailingZeros(m);
                    m &= m - 1;
                    last = Math.max(last, position[c]);
                }
                if (last >= 0) {
                    stepTotal[last] += totals[s];
                    stepConv[last] += convs[s];
                }
            }
            long cumTotal = 0;
            long cumConv = 0;
            double before = 0;
            for (int k = 0; k < n; k++) {
                cumTotal += stepTotal[k];
                cumConv += stepConv[k];
                double after = cumTotal == 0 ? 0 : cumConv / (double) cumTotal;
                phi[order[k]] += after - before;
                before = after;
            }
        }
        for (int i = 0; i < n; i++) {
            phi[i] /= permutations;
        }
        return phi;
    }

    private static double binomial(int n, int k) {
        double r = 1;
        for (int i = 1; i <= k; i++) {
            r = r * (n - k + i) / i;
        }
        return r;
    }
}
