package com.revops.attribution.models;

/**
 * Splits an integer amount of minor units by weights so that the parts add up exactly to the amount
 * (Hamilton's largest-remainder method). Each part first gets the floor of its exact quota; the units left over
 * go one each to the parts with the largest fractional remainders. Ties go to the lower index: callers pass the
 * touches in canonical order (earliest first, then by id), so a tie is won by the earliest touch, then the
 * smallest id, whatever order the input came in.
 */
public final class LargestRemainder {

    /**
     * Remainders closer than this (a millionth of a minor unit) are a tie, won by the lower index: 6/7 computed two
     * ways differs in the last bits, and floating-point noise must not decide who gets a cent. Exact for amounts
     * up to about 10^9 minor units per deal; above that the noise can exceed the tolerance (still deterministic, and
     * still summing exactly).
     */
    static final double TIE = 1e-6;

    private LargestRemainder() {
    }

    /**
     * @param total   non-negative amount in minor units
     * @param weights non-negative weights, at least one positive
     * @return parts, each >= 0, summing exactly to {@code total}; a zero weight always gets 0
     */
    public static long[] allocate(long total, double[] weights) {
        if (total < 0) {
            throw new IllegalArgumentException("total must not be negative: " + total);
        }
        int n = weights.length;
        long[] parts = new long[n];
        double sum = 0;
        for (double w : weights) {
            if (!(w >= 0) || Double.isInfinite(w)) {
                throw new IllegalArgumentException("weights must be finite and non-negative");
            }
            sum += w;
        }
        if (n == 0 || sum <= 0) {
            if (total == 0) {
                return parts;
            }
            throw new IllegalArgumentException("no positive weight to allocate " + total + " over");
        }
        double[] remainders = new double[n];
        long given = 0;
        for (int i = 0; i < n; i++) {
            double quota = total * (weights[i] / sum);
            long floor = (long) Math.floor(quota);
            if (floor < 0) {
                floor = 0;
            }
            if (floor > total) {
                floor = total;
            }
            parts[i] = floor;
            remainders[i] = weights[i] == 0 ? -1 : quota - floor;
            given += floor;
        }
        long left = total - given;
        // left is normally 0 <= left < n; the loops below also absorb floating-point drift in either direction
        while (left > 0) {
            int best = -1;
            for (int i = 0; i < n; i++) {
                if (weights[i] > 0 && (best < 0 || remainders[i] > remainders[best] + TIE)) {
                    best = i;
                }
            }
            parts[best]++;
            remainders[best] -= 1.0;
            left--;
        }
        while (left < 0) {
            int worst = -1;
            for (int i = n - 1; i >= 0; i--) {
                if (parts[i] > 0 && (worst < 0 || remainders[i] < remainders[worst] - TIE)) {
                    worst = i;
                }
            }
            parts[worst]--;
            remainders[worst] += 1.0;
            left++;
        }
        return parts;
    }
}
