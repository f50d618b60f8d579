package com.revops.attribution.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Properties every model must keep on random deals (seeded, 2,000 deals per model): credits sum exactly to the
 * amount (deal and reporting currency), no credit is negative, the order of the touches does not matter, and a
 * channel without eligible touches gets nothing.
 */
class ModelPropertiesTest {

    static final String[] CHANNELS = {"paid-search", "social", "email", "events", "sdr", "partner", "organic"};
    static final String[] CURRENCIES = {"USD", "EUR", "JPY", "GBP", "BHD"};
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

    static final RateTable RATES = RateTable.builder("USD")
            .rate("EUR", LocalDate.parse("2025-01-01"), new BigDecimal("1.0843"))
            .rate("JPY", LocalDate.parse("2025-01-01"), new BigDecimal("0.00671"))
            .rate("GBP", LocalDate.parse("2025-01-01"), new BigDecimal("1.2719"))
            .rate("BHD", LocalDate.parse("2025-01-01"), new BigDecimal("2.6596")).build();

    record Case(DealInput deal, List<TouchInput> touches) {
    }

    static Case randomCase(Random r, int i) {
        int n = r.nextInt(12);
        List<TouchInput> touches = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            // some touches share the same instant to exercise the tie-breaker
            long minutes = r.nextInt(5) == 0 ? 60L * 24 * 10 : r.nextInt(60 * 24 * 120);
            touches.add(new TouchInput("t" + i + "-" + k, BASE.plus(Duration.ofMinutes(minutes)),
                    CHANNELS[r.nextInt(CHANNELS.length)], null, "c" + r.nextInt(3), "ad-click", "marketing"));
        }
        Instant opp = BASE.plus(Duration.ofDays(20 + r.nextInt(60)));
        Instant lead = r.nextBoolean() ? BASE.plus(Duration.ofDays(r.nextInt(30))) : null;
        Instant qualified = r.nextBoolean() ? opp.plus(Duration.ofDays(r.nextInt(20))) : null;
        Instant closed = r.nextBoolean() ? opp.plus(Duration.ofDays(r.nextInt(60))) : null;
        long amount = switch (r.nextInt(4)) {
            case 0 -> r.nextInt(10);
            case 1 -> r.nextInt(1_000_000);
            case 2 -> Math.abs(r.nextLong() % 1_000_000_000_000L);
            default -> 1;
        };
        String currency = CURRENCIES[r.nextInt(CURRENCIES.length)];
        DealInput deal = new DealInput("d" + i, amount, currency, lead, opp, qualified, closed,
                closed != null && r.nextBoolean(), BASE.plus(Duration.ofDays(200)));
        return new Case(deal, touches);
    }

    static AttributionSettings settings(Random r) {
        Map<String, Double> fitted = new HashMap<>();
        for (String c : CHANNELS) {
            fitted.put(c, r.nextInt(4) == 0 ? 0.0 : r.nextDouble());
        }
        return AttributionSettings.defaults().withRates(RATES).withChannelWeights(fitted)
                .withLookback(Duration.ofDays(30 + r.nextInt(200)))
                .withCustom(MilestoneWeights.of(r.nextDouble(), Milestone.QUALIFICATION, r.nextDouble(),
                        Milestone.CLOSED_WON, r.nextDouble()));
    }

    @ParameterizedTest
    @EnumSource(ModelType.class)
    void creditsSumExactlyAreNeverNegativeAndIgnoreInputOrder(ModelType model) {
        Random r = new Random(20261123L + model.ordinal());
        for (int i = 0; i < 2_000; i++) {
            Case c = randomCase(r, i);
            AttributionSettings s = settings(r);
            DealAttribution a = AttributionEngine.attribute(model, c.deal(), c.touches(), s);

            assertEquals(c.deal().amountMinor(), a.creditedTotal(), "sum in deal currency, case " + i);
            long reportingSum = a.unattributedReportingMinor();
            for (TouchCredit t : a.touches()) {
                assertTrue(t.amountMinor() >= 0 && t.reportingMinor() >= 0, "negative credit, case " + i);
                reportingSum += t.reportingMinor();
                if (!t.included()) {
                    assertEquals(0, t.amountMinor());
                }
            }
            assertEquals(a.reportingAmountMinor(), reportingSum, "sum in reporting currency, case " + i);

            List<TouchInput> shuffled = new ArrayList<>(c.touches());
            Collections.shuffle(shuffled, r);
            DealAttribution b = AttributionEngine.attribute(model, c.deal(), shuffled, s);
            assertEquals(byTouch(a), byTouch(b), "input order changed the credits, case " + i);

            Set<String> eligibleChannels = new HashSet<>();
            a.touches().stream().filter(TouchCredit::included)
                    .forEach(t -> eligibleChannels.add(t.touch().channelKey()));
            for (String channel : a.byChannel().keySet()) {
                assertTrue(eligibleChannels.contains(channel) || channel.equals(DealAttribution.UNATTRIBUTED),
                        "channel " + channel + " has no eligible touch but got credit, case " + i);
            }
        }
    }

    static Map<String, List<Long>> byTouch(DealAttribution a) {
        Map<String, List<Long>> m = new HashMap<>();
        a.touches().forEach(t -> m.put(t.touch().id(), List.of(t.amountMinor(), t.reportingMinor())));
        m.put("UNATTRIBUTED", List.of(a.unattributedMinor(), a.unattributedReportingMinor()));
        return m;
    }
}
