package com.revops.attribution.models;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Dated exchange rates into one reporting currency: {@code rate(c, d)} is the rate of {@code c} published on the
 * latest date on or before {@code d} (units of the reporting currency per unit of {@code c}). Immutable.
 */
public final class RateTable {

    private final String reportingCurrency;
    private final Map<String, NavigableMap<LocalDate, BigDecimal>> rates;

    private RateTable(String reportingCurrency, Map<String, NavigableMap<LocalDate, BigDecimal>> rates) {
        this.reportingCurrency = reportingCurrency;
        this.rates = rates;
    }

    public static RateTable none(String reportingCurrency) {
        return new RateTable(reportingCurrency, Map.of());
    }

    public String reportingCurrency() {
        return reportingCurrency;
    }

    /** The rate for {@code currency} valid on {@code day}; null when no rate is dated on or before that day. */
    public BigDecimal rate(String currency, LocalDate day) {
        if (currency.equals(reportingCurrency)) {
            return BigDecimal.ONE;
        }
        NavigableMap<LocalDate, BigDecimal> series = rates.get(currency);
        if (series == null) {
            return null;
        }
        Map.Entry<LocalDate, BigDecimal> e = series.floorEntry(day);
        return e == null ? null : e.getValue();
    }

    /** Builds a table. */
    public static Builder builder(String reportingCurrency) {
        return new Builder(reportingCurrency);
    }

    /** Collects dated rates. */
    public static final class Builder {
        private final String reporting;
        private final Map<String, NavigableMap<LocalDate, BigDecimal>> rates = new HashMap<>();

        Builder(String reporting) {
            if (!Money.isKnownCurrency(reporting)) {
                throw new IllegalArgumentException("unknown reporting currency " + reporting);
            }
            this.reporting = reporting;
        }

        public Builder rate(String currency, LocalDate validFrom, BigDecimal rate) {
            if (!Money.isKnownCurrency(currency)) {
                throw new IllegalArgumentException("unknown currency " + currency);
            }
            if (rate.signum() <= 0) {
                throw new IllegalArgumentException("exchange rates must be positive");
            }
            rates.computeIfAbsent(currency, c -> new TreeMap<>()).put(validFrom, rate);
            return this;
        }

        public RateTable build() {
            Map<String, NavigableMap<LocalDate, BigDecimal>> copy = new HashMap<>();
            rates.forEach((c, s) -> copy.put(c, Collections.unmodifiableNavigableMap(new TreeMap<>(s))));
            return new RateTable(reporting, Collections.unmodifiableMap(copy));
        }
    }
}
