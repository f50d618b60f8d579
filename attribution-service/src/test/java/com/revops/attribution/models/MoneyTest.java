package com.revops.attribution.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void minorUnitsFollowTheCurrency() {
        assertEquals(12_345L, Money.toMinor(new BigDecimal("123.45"), "EUR", true));
        assertEquals(123L, Money.toMinor(new BigDecimal("123"), "JPY", true));
        assertEquals(1_234L, Money.toMinor(new BigDecimal("1.234"), "BHD", true));
        // half-even when rounding is allowed: 0.125 -> 12, 0.135 -> 14
        assertEquals(12L, Money.toMinor(new BigDecimal("0.125"), "USD", false));
        assertEquals(14L, Money.toMinor(new BigDecimal("0.135"), "USD", false));
        assertThrows(ArithmeticException.class, () -> Money.toMinor(new BigDecimal("0.125"), "USD", true));
    }

    @Test
    void unknownCurrenciesAreRecognised() {
        assertTrue(Money.isKnownCurrency("USD"));
        assertFalse(Money.isKnownCurrency("XYZ"));
        assertFalse(Money.isKnownCurrency("usd"));
        assertFalse(Money.isKnownCurrency(null));
    }

    @Test
    void conversionRoundsOnceHalfEven() {
        // 100.00 EUR x 1.0843 = 108.43 USD; 1,000 JPY x 0.00671 = 6.71 USD; 0.05 USD x 0.5 = 0.025 -> 0.02
        assertEquals(10_843L, Money.convert(10_000, "EUR", "USD", new BigDecimal("1.0843")));
        assertEquals(671L, Money.convert(1_000, "JPY", "USD", new BigDecimal("0.00671")));
        assertEquals(2L, Money.convert(5, "USD", "EUR", new BigDecimal("0.5")));
    }

    @Test
    void largestRemainderGivesLeftoversToTheLargestRemaindersThenTheLowestIndex() {
        // 10 by 1:1:1 -> 3.33 each: floors 3,3,3 = 9; one left, equal remainders -> index 0: 4,3,3
        assertArrayEquals(new long[] {4, 3, 3}, LargestRemainder.allocate(10, new double[] {1, 1, 1}));
        // 100 by 0.155:0.345:0.5 -> 15.5, 34.5, 50: floors 15, 34, 50 = 99; remainders .5/.5 tie -> index 0
        assertArrayEquals(new long[] {16, 34, 50}, LargestRemainder.allocate(100, new double[] {0.155, 0.345, 0.5}));
        // 7 by 1:2:4 -> 1, 2, 4 exactly
        assertArrayEquals(new long[] {1, 2, 4}, LargestRemainder.allocate(7, new double[] {1, 2, 4}));
        // zero weight gets nothing even with leftovers: 5 by 0:1:1 -> 0, 3, 2
        assertArrayEquals(new long[] {0, 3, 2}, LargestRemainder.allocate(5, new double[] {0, 1, 1}));
        assertThrows(IllegalArgumentException.class, () -> LargestRemainder.allocate(-1, new double[] {1}));
    }
}
