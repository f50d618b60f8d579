package com.revops.attribution.models;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;

/**
 * Money in minor units (cents, pence, yen) as {@code long}: every credit is an exact integer count of the smallest
 * unit of its currency, so the credits of a deal can add up exactly to its amount.
 */
public final class Money {

    private Money() {
    }

    /** True when {@code code} is an ISO 4217 currency known to the JDK. */
    public static boolean isKnownCurrency(String code) {
        if (code == null || code.length() != 3) {
            return false;
        }
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Digits after the decimal point of {@code currency} (EUR 2, JPY 0, BHD 3). */
    public static int fractionDigits(String currency) {
        if (!isKnownCurrency(currency)) {
            throw new IllegalArgumentException("unknown currency: " + currency);
        }
        int digits = Currency.getInstance(currency).getDefaultFractionDigits();
        return Math.max(digits, 0);
    }

    /**
     * {@code amount} in minor units of {@code currency}. More decimals than the currency has are rounded half-even
     * (banker's rounding) when {@code exact} is false and rejected when it is true.
     */
    public static long toMinor(BigDecimal amount, String currency, boolean exact) {
        BigDecimal scaled = amount.movePointRight(fractionDigits(currency));
        BigDecimal whole = exact ? scaled.setScale(0, RoundingMode.UNNECESSARY)
                : scaled.setScale(0, RoundingMode.HALF_EVEN);
        return whole.longValueExact();
    }

    /** Minor units back to a decimal amount, e.g. 12345 EUR -> 123.45. */
    public static BigDecimal toDecimal(long minor, String currency) {
        return BigDecimal.valueOf(minor).movePointLeft(fractionDigits(currency));
    }

    /**
     * Converts {@code minor} units of {@code from} into minor units of {@code to} at {@code rate} (units of
     * {@code to} per unit of {@code from}), rounded half-even once, on the deal total.
     */
    public static long convert(long minor, String from, String to, BigDecimal rate) {
        if (from.equals(to)) {
            return minor;
        }
        BigDecimal major = toDecimal(minor, from);
        return major.multiply(rate).movePointRight(fractionDigits(to)).setScale(0, RoundingMode.HALF_EVEN)
                .longValueExact();
    }
}
