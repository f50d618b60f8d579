package com.revops.attribution.models;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * First-order Markov-chain attribution by removal effect, solved in closed form on the absorbing chain.
 *
 * <p>States: START, one per channel, and the absorbing CONVERSION and NULL. Transition probabilities are the
 * observed transition counts normalised per state (every journey goes START -> its channels -> CONVERSION or NULL).
 * The conversion probability x of each transient state solves {@code x = Q x + r} ({@code Q}: transient-to-transient
 * probabilities, {@code r}: probability of moving to CONVERSION), i.e. {@code (I - Q) x = r}, solved by Gaussian
 * elimination with partial pivoting: deterministic, no simulation. Removing channel c makes every visit of c end
 * in NULL ({@code x_c = 0}); its removal effect is {@code 1 - P(-c) / P}. Channel weights are the removal effects
 * normalised to sum to 1.
 */
public final class MarkovChain {

    private MarkovChain() {
    }

    /**
     * @param conversionProbability P(conversion) from START
     * @param removalEffects        channel -> 1 - P(without channel) / P, in channel-name order
     * @param weights               removal effects normalised to sum to 1 (all 0 when nothing converts)
     * @param journeys              journeys fitted
     */
    public record Result(double conversionProbability, Map<String, Double> removalEffects, Map<String, Double> weights,
            long journeys) {
    }

    /** Counts transitions as journeys stream by; {@link #result()} solves the chain. Not thread-safe. */
    public static final class Fitter {
        private final Map<String, Integer> index = new HashMap<>();
        private final List<String> names = new ArrayList<>();
        // counts[from][to]: from 0 = START, 1.. channels; to 0 = CONVERSION, 1 = NULL, 2.. channels (offset 2)
        private long[][] counts = new long[1][2];
        private long journeys;

        public Fitter add(Journey j) {
            return add(j.channels(), j.converted());
        }

        public Fitter add(List<String> channels, boolean converted) {
            int from = 0;
            for (String c : channels) {
                int to = state(c);
                counts[from][to + 1]++;
                from = to;
            }
            counts[from][converted ? 0 : 1]++;
            journeys++;
            return this;
        }

        /** Same as {@link #add} with channel indexes from {@link #state}: the allocation-free path for bulk fits. */
        public void addIndexed(int[] states, int length, boolean converted) {
            int from = 0;
            for (int i = 0; i < length; i++) {
                counts[from][states[i] + 1]++;
                from = states[i];
            }
            counts[from][converted ? 0 : 1]++;
            journeys++;
        }

        /** The state number (1..) of a channel, registering it on first sight. */
        public int state(String channel) {
            Integer i = index.get(channel);
            if (i != null) {
                return i;
            }
            names.add(channel);
            int s = names.size();
            index.put(channel, s);
            long[][] grown = new long[s + 1][s + 2];
            for (int r = 0; r < counts.length; r++) {
                System.arraycopy(counts[r], 0, grown[r], 0, counts[r].length);
            }
            counts = grown;
            return s;
        }

        /**
         * Solves the chain. States are renumbered in channel-name order first, so the result does not depend on the
         * order in which channels were first seen (floating-point sums would otherwise differ in the last bits).
         */
        public Result result() {
            int n = names.size();
            List<String> sorted = new ArrayList<>(names);
            Collections.sort(sorted);
            int[] to = new int[n + 1]; // old state -> new state
            for (int i = 0; i < n; i++) {
                to[index.get(sorted.get(i))] = i + 1;
            }
            long[][] c = new long[n + 1][n + 2];
            for (int s = 0; s <= n; s++) {
                int ns = to[s];
                c[ns][0] = counts[s][0];
                c[ns][1] = counts[s][1];
                for (int t = 1; t <= n; t++) {
                    c[ns][to[t] + 1] = counts[s][t + 1];
                }
            }
            return solve(sorted, c, journeys);
        }
    }

    public static Result fit(Iterable<Journey> journeys) {
        Fitter f = new Fitter();
        for (Journey j : journeys) {
            f.add(j);
        }
        return f.result();
    }

    static Result solve(List<String> names, long[][] counts, long journeys) {
        int n = names.size();
        double[][] q = new double[n + 1][n + 1];
        double[] r = new double[n + 1];
        for (int s = 0; s <= n; s++) {
            long out = 0;
            for (long c : counts[s]) {
                out += c;
            }
            if (out == 0) {
                continue; // never left (START of an empty fit): stays at 0
            }
            r[s] = counts[s][0] / (double) out;
            for (int t = 1; t <= n; t++) {
                q[s][t] = counts[s][t + 1] / (double) out;
            }
        }
        double p = conversion(q, r, -1);
        Map<String, Double> effects = new TreeMap<>();
        for (int c = 1; c <= n; c++) {
            double without = conversion(q, r, c);
            effects.put(names.get(c - 1), p <= 0 ? 0.0 : Math.max(0.0, 1.0 - without / p));
        }
        double sum = effects.values().stream().mapToDouble(Double::doubleValue).sum();
        Map<String, Double> weights = new LinkedHashMap<>();
        effects.forEach((c, e) -> weights.put(c, sum <= 0 ? 0.0 : e / sum));
        return new Result(p, Collections.unmodifiableMap(effects), Collections.unmodifiableMap(weights), journeys);
    }

    /** P(conversion) from START with state {@code removed} (>= 1) turned into NULL, or none when -1. */
    static double conversion(double[][] q, double[] r, int removed) {
        int m = r.length;
        double[][] a = new double[m][m + 1];
        for (int i = 0; i < m; i++) {
            if (i == removed) {
                a[i][i] = 1; // x_removed = 0
                continue;
            }
            for (int j = 0; j < m; j++) {
                a[i][j] = (i == j ? 1 : 0) - (j == removed ? 0 : q[i][j]);
            }
            a[i][m] = r[i];
        }
        double[] x = gauss(a);
        return x[0];
    }

    /** Solves the augmented system {@code a} (m x m+1) by Gaussian elimination with partial pivoting. */
    static double[] gauss(double[][] a) {
        int m = a.length;
        for (int col = 0; col < m; col++) {
            int pivot = col;
            for (int row = col + 1; row < m; row++) {
                if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
                    pivot = row;
                }
            }
            if (Math.abs(a[pivot][col]) < 1e-15) {
                throw new IllegalStateException("the absorbing chain is singular (a cycle never reaches an end)");
            }
            double[] tmp = a[col];
            a[col] = a[pivot];
            a[pivot] = tmp;
            for (int row = col + 1; row < m; row++) {
                double f = a[row][col] / a[col][col];
                if (f != 0) {
                    for (int k = col; k <= m; k++) {
                        a[row][k] -= f * a[col][k];
                    }
                }
            }
        }
        double[] x = new double[m];
        for (int row = m - 1; row >= 0; row--) {
            double s = a[row][m];
            for (int k = row + 1; k < m; k++) {
                s -= a[row][k] * x[k];
            }
            x[row] = s / a[row][row];
        }
        return x;
    }
}
