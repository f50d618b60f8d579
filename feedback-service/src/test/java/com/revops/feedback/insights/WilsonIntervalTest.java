package com.revops.feedback.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class WilsonIntervalTest {

    static final double Z95 = 1.96;

    /**
     * 8 of 20, z = 1.96, by hand: p = 0.4, z² = 3.8416, denominator = 1 + 3.8416/20 = 1.19208;
     * centre = (0.4 + 3.8416/40) / 1.19208 = 0.49604 / 1.19208 = 0.416113;
     * half = 1.96 · sqrt(0.4·0.6/20 + 3.8416/1600) / 1.19208 = 1.96 · sqrt(0.014401) / 1.19208 = 0.197309;
     * interval = (0.218804, 0.613422).
     */
    @Test
    void eightOfTwentyMatchesTheHandComputation() {
        WilsonInterval w = WilsonInterval.of(8, 20, Z95);
        assertEquals(0.218804, w.lower(), 1e-6);
        assertEquals(0.613422, w.upper(), 1e-6);
    }

    /**
     * Hand-computed like the one above (lower, upper):
     * 16/40: centre = 0.44802/1.09604 = 0.408763, half = 1.96·sqrt(0.0066003)/1.09604 = 0.145281;
     * 0/60: centre = half = (3.8416/120)/1.0640267 = 0.030087, so (0, 0.060174);
     * 20/40: centre 0.5, half = 1.96·sqrt(0.0068503)/1.09604 = 0.148007.
     */
    @ParameterizedTest
    @CsvSource({"16, 40, 0.263481, 0.554044", "0, 60, 0.0, 0.060174", "20, 40, 0.351993, 0.648007",
        "6, 60, 0.046642, 0.201497", "26, 100, 0.184046, 0.353712"})
    void tableOfHandComputedIntervals(long k, long n, double lower, double upper) {
        WilsonInterval w = WilsonInterval.of(k, n, Z95);
        assertEquals(lower, w.lower(), 2e-6);
        assertEquals(upper, w.upper(), 2e-6);
    }

    @Test
    void intervalAlwaysContainsTheRateAndStaysInsideZeroOne() {
        for (int n = 1; n <= 60; n++) {
            for (int k = 0; k <= n; k++) {
                WilsonInterval w = WilsonInterval.of(k, n, Z95);
                double p = (double) k / n;
                assertTrue(w.lower() >= 0 && w.upper() <= 1, k + "/" + n);
                assertTrue(w.lower() <= p + 1e-12 && p <= w.upper() + 1e-12, k + "/" + n);
            }
        }
    }

    @Test
    void moreDataNarrowsTheInterval() {
        WilsonInterval small = WilsonInterval.of(5, 10, Z95);
        WilsonInterval large = WilsonInterval.of(500, 1000, Z95);
        assertTrue(large.upper() - large.lower() < small.upper() - small.lower());
    }

    @Test
    void emptySampleIsTheWholeRangeAndNonsenseIsRefused() {
        assertEquals(new WilsonInterval(0.0, 1.0), WilsonInterval.of(0, 0, Z95));
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(3, 2, Z95));
        assertThrows(IllegalArgumentException.class, () -> WilsonInterval.of(-1, 2, Z95));
    }
}
