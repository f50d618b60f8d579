package com.revops.feedback.insights;

/**
 * The Wilson score interval of a binomial proportion: unlike the normal approximation it stays inside [0, 1] and
 * behaves with small samples and rates near 0 or 1, which is what per-campaign disqualification rates look like.
 * Plain Java.
 *
 * <pre>
 *   p = k / n,  centre = (p + z²/2n) / (1 + z²/n),  half-width = z·sqrt(p(1-p)/n + z²/4n²) / (1 + z²/n)
 * </pre>
 */
public record WilsonInterval(double lower, double upper) {

    /** The interval for {@code successes} out of {@code n} at normal quantile {@code z}; [0, 1] when n is 0. */
    public static WilsonInterval of(long successes, long n, double z) {
        if (n < 0 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("need 0 <= successes <= n, got " + successes + "/" + n);
        }
        if (n == 0) {
            return new WilsonInterval(0.0, 1.0);
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double denominator = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denominator;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
        return new WilsonInterval(Math.max(0.0, centre - half), Math.min(1.0, centre + half));
    }
}
