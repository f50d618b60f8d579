package com.revops.attribution.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Every rule-based model against examples computed by hand (the arithmetic is in the comments).
 *
 * <p>The reference journey (deal of 1,000.00 USD = 100,000 cents, times 00:00Z):
 * <pre>
 * t1 2026-01-01 ad-click        paid-search   first touch
 * t2 2026-01-05 form-submission organic       lead created 2026-01-05T12:00 -> lead creation
 * t3 2026-01-10 webinar         events        (middle)
 * t4 2026-01-15 sdr-call        outbound      opportunity created 2026-01-15T12:00 -> opportunity creation
 * t5 2026-01-20 ae-meeting      sales         qualified 2026-01-20T12:00 -> qualification
 * t6 2026-01-25 email-click     email         closed won 2026-01-29 -> closed won
 * t7 2026-02-01 webinar         events        after the close -> excluded
 * </pre>
 */
class RuleBasedModelsTest {

    static final AttributionSettings DEFAULTS = AttributionSettings.defaults();

    static Instant day(String d) {
        return Instant.parse(d + "T00:00:00Z");
    }

    static TouchInput touch(String id, String day, String channel) {
        return new TouchInput(id, day(day), channel, channel + "-src", channel + "-campaign", "type", "marketing");
    }

    static final List<TouchInput> JOURNEY = List.of(
            touch("t1", "2026-01-01", "paid-search"),
            touch("t2", "2026-01-05", "organic"),
            touch("t3", "2026-01-10", "events"),
            touch("t4", "2026-01-15", "outbound"),
            touch("t5", "2026-01-20", "sales"),
            touch("t6", "2026-01-25", "email"),
            touch("t7", "2026-02-01", "events"));

    static final DealInput WON = new DealInput("d1", 100_000, "USD", Instant.parse("2026-01-05T12:00:00Z"),
            Instant.parse("2026-01-15T12:00:00Z"), Instant.parse("2026-01-20T12:00:00Z"), day("2026-01-29"), true,
            day("2026-03-01"));

    static Map<String, Long> credits(DealAttribution a) {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        a.touches().forEach(t -> out.put(t.touch().id(), t.amountMinor()));
        return out;
    }

    static DealAttribution run(ModelType m, DealInput d, List<TouchInput> touches, AttributionSettings s) {
        DealAttribution a = AttributionEngine.attribute(m, d, touches, s);
        assertEquals(d.amountMinor(), a.creditedTotal(), "credits must add up to the amount");
        return a;
    }

    @Test
    void firstTouchGivesEverythingToTheEarliestEligibleTouch() {
        // 100% of 100,000 to t1
        var a = run(ModelType.FIRST_TOUCH, WON, JOURNEY, DEFAULTS);
        assertEquals(Map.of("t1", 100_000L, "t2", 0L, "t3", 0L, "t4", 0L, "t5", 0L, "t6", 0L, "t7", 0L), credits(a));
    }

    @Test
    void lastTouchGivesEverythingToTheLastTouchBeforeTheClose() {
        // t7 is after the close (2026-02-01 > 2026-01-29): t6 is the last eligible touch and gets 100,000
        var a = run(ModelType.LAST_TOUCH, WON, JOURNEY, DEFAULTS);
        assertEquals(100_000L, credits(a).get("t6"));
        assertEquals(0L, credits(a).get("t7"));
        assertEquals(Exclusion.AFTER_CLOSE, a.touches().get(6).exclusion());
    }

    @Test
    void linearSplitsEvenlyAndGivesLeftoverCentsToTheEarliestTouches() {
        // 6 eligible touches: 100,000 / 6 = 16,666.67 -> floors 6 x 16,666 = 99,996, 4 cents left; all remainders
        // are equal (.67), ties go to the earliest: t1..t4 get 16,667, t5 and t6 16,666. 4x16,667+2x16,666 = 100,000
        var a = run(ModelType.LINEAR, WON, JOURNEY, DEFAULTS);
        assertEquals(List.of(16_667L, 16_667L, 16_667L, 16_667L, 16_666L, 16_666L, 0L),
                new ArrayList<>(credits(a).values()));
    }

    @Test
    void uShapedGives40To40AndSpreads20OverTheRest() {
        // first touch t1 40% = 40,000; lead creation t2 40% = 40,000;
        // middle t3..t6 (4 touches) share 20%: 5% each = 5,000. 40,000+40,000+4x5,000 = 100,000
        var a = run(ModelType.U_SHAPED, WON, JOURNEY, DEFAULTS);
        assertEquals(List.of(40_000L, 40_000L, 5_000L, 5_000L, 5_000L, 5_000L, 0L),
                new ArrayList<>(credits(a).values()));
        assertEquals(List.of(Milestone.FIRST_TOUCH), a.touches().get(0).roles());
        assertEquals(List.of(Milestone.LEAD_CREATION), a.touches().get(1).roles());
        assertTrue(a.touches().get(0).rule().startsWith("U-shaped: first touch 40%"), a.touches().get(0).rule());
    }

    @Test
    void wShapedGives30To30To30AndSpreads10() {
        // t1 first 30% = 30,000; t2 lead 30% = 30,000; t4 opportunity 30% = 30,000;
        // middle t3, t5, t6 share 10%: 3,333.33 each -> 3 x 3,333 = 9,999, 1 cent left, tie -> earliest (t3)
        // 30,000x3 + 3,334 + 3,333 + 3,333 = 100,000
        var a = run(ModelType.W_SHAPED, WON, JOURNEY, DEFAULTS);
        assertEquals(List.of(30_000L, 30_000L, 3_334L, 30_000L, 3_333L, 3_333L, 0L),
                new ArrayList<>(credits(a).values()));
    }

    @Test
    void fullPathGives22AndAHalfToEachOfFourMilestonesAnd10Spread() {
        // t1 first, t2 lead, t4 opportunity, t6 closed won: 22.5% each = 22,500;
        // middle t3 and t5 (qualification is not weighted in full path) share 10%: 5,000 each
        var a = run(ModelType.FULL_PATH, WON, JOURNEY, DEFAULTS);
        assertEquals(List.of(22_500L, 22_500L, 5_000L, 22_500L, 5_000L, 22_500L, 0L),
                new ArrayList<>(credits(a).values()));
        assertEquals(List.of(Milestone.QUALIFICATION), a.touches().get(4).roles());
        assertEquals(List.of(Milestone.CLOSED_WON), a.touches().get(5).roles());
    }

    @Test
    void timeDecayHalvesTheWeightEverySevenDays() {
        // closed 2026-03-01; touches 21, 14, 7 and 0 days before: weights 1/8, 1/4, 1/2, 1 (sum 15/8)
        // shares 1/15, 2/15, 4/15, 8/15 of 150,000 = 10,000, 20,000, 40,000, 80,000
        DealInput deal = new DealInput("d2", 150_000, "USD", null, day("2026-02-01"), null, day("2026-03-01"), true,
                null);
        List<TouchInput> touches = List.of(touch("a", "2026-02-08", "x"), touch("b", "2026-02-15", "y"),
                touch("c", "2026-02-22", "z"), touch("d", "2026-03-01", "w"));
        var a = run(ModelType.TIME_DECAY, deal, touches, DEFAULTS);
        assertEquals(List.of(10_000L, 20_000L, 40_000L, 80_000L), new ArrayList<>(credits(a).values()));
    }

    @Test
    void timeDecayHalfLifeIsConfigurable() {
        // half-life 14 days: ages 14 and 0 days -> weights 1/2 and 1 -> 1/3 and 2/3 of 90,000 = 30,000 / 60,000
        DealInput deal = new DealInput("d3", 90_000, "USD", null, day("2026-02-01"), null, day("2026-03-01"), true,
                null);
        var a = run(ModelType.TIME_DECAY, deal, List.of(touch("a", "2026-02-15", "x"), touch("b", "2026-03-01", "y")),
                DEFAULTS.withHalfLife(Duration.ofDays(14)));
        assertEquals(List.of(30_000L, 60_000L), new ArrayList<>(credits(a).values()));
    }

    @Test
    void customWeightsCreditQualificationAndCloseOnly() {
        // qualification 50% -> t5 50,000; closed won 50% -> t6 50,000; spread 0 -> t1..t4 nothing
        var custom = MilestoneWeights.of(0.0, Milestone.QUALIFICATION, 0.5, Milestone.CLOSED_WON, 0.5);
        var a = run(ModelType.CUSTOM, WON, JOURNEY, DEFAULTS.withCustom(custom));
        assertEquals(List.of(0L, 0L, 0L, 0L, 50_000L, 50_000L, 0L), new ArrayList<>(credits(a).values()));
    }

    @Test
    void oneTouchHoldingSeveralMilestonesAddsTheirWeights() {
        // t1 is the first touch and the last touch before the lead was created (lead created 2026-01-02):
        // U-shaped gives it 40% + 40% = 80,000; t2 is the only middle touch: 20% = 20,000
        DealInput deal = new DealInput("d4", 100_000, "USD", day("2026-01-02"), day("2026-01-20"), null, null, false,
                day("2026-02-01"));
        var a = run(ModelType.U_SHAPED, deal, List.of(touch("t1", "2026-01-01", "a"), touch("t2", "2026-01-10", "b")),
                DEFAULTS);
        assertEquals(List.of(80_000L, 20_000L), new ArrayList<>(credits(a).values()));
        assertEquals(List.of(Milestone.FIRST_TOUCH, Milestone.LEAD_CREATION), a.touches().get(0).roles());
        // t2 (2026-01-10) is the last touch before the opportunity (2026-01-20): it holds OPPORTUNITY_CREATION, which
        // U-shaped does not weight, so it is a middle touch for U-shaped
        assertEquals(List.of(Milestone.OPPORTUNITY_CREATION), a.touches().get(1).roles());
    }

    @Test
    void withoutMiddleTouchesTheSpreadGoesToTheMilestoneTouchesProRata() {
        // W-shaped with exactly three touches: first (t1), lead (t2), opportunity (t3), no middle touch.
        // 30:30:30 normalised = 1/3 each of 100,000 = 33,333.33 -> 33,333 x 3 = 99,999, 1 cent to the earliest (t1)
        DealInput deal = new DealInput("d5", 100_000, "USD", day("2026-01-05"), day("2026-01-10"), null, null, false,
                day("2026-02-01"));
        var a = run(ModelType.W_SHAPED, deal, List.of(touch("t1", "2026-01-01", "a"), touch("t2", "2026-01-05", "b"),
                touch("t3", "2026-01-10", "c")), DEFAULTS);
        assertEquals(List.of(33_334L, 33_333L, 33_333L), new ArrayList<>(credits(a).values()));
        assertTrue(a.notes().stream().anyMatch(n -> n.contains("no middle touches")), a.notes().toString());
    }

    @Test
    void anAbsentMilestoneIsRedistributedProRata() {
        // U-shaped, lead creation unknown: first touch 40 and spread 20 remain -> normalised 2/3 and 1/3.
        // 90,000: t1 60,000; t2 and t3 share 30,000 -> 15,000 each
        DealInput deal = new DealInput("d6", 90_000, "USD", null, day("2026-01-20"), null, null, false,
                day("2026-02-01"));
        var a = run(ModelType.U_SHAPED, deal, List.of(touch("t1", "2026-01-01", "a"), touch("t2", "2026-01-05", "b"),
                touch("t3", "2026-01-10", "c")), DEFAULTS);
        assertEquals(List.of(60_000L, 15_000L, 15_000L), new ArrayList<>(credits(a).values()));
    }

    @Test
    void touchesBeforeTheLookbackWindowAreExcluded() {
        // opportunity created 2026-06-01, lookback 90 days -> window starts 2026-03-03; t0 (2026-01-01) excluded,
        // t1 becomes the first touch: first touch gives t1 all 50,000
        DealInput deal = new DealInput("d7", 50_000, "USD", null, day("2026-06-01"), null, null, false,
                day("2026-07-01"));
        var a = run(ModelType.FIRST_TOUCH, deal,
                List.of(touch("t0", "2026-01-01", "a"), touch("t1", "2026-04-01", "b")),
                DEFAULTS.withLookback(Duration.ofDays(90)));
        assertEquals(Exclusion.BEFORE_LOOKBACK, a.touches().get(0).exclusion());
        assertEquals(50_000L, a.touches().get(1).amountMinor());
    }

    @Test
    void aDealWithoutTouchesIsOneUnattributedLine() {
        var a = run(ModelType.W_SHAPED, WON, List.of(), DEFAULTS);
        assertEquals(100_000L, a.unattributedMinor());
        assertEquals(Map.of(DealAttribution.UNATTRIBUTED, 100_000L), a.byChannel());
    }

    @Test
    void aDealWhoseOnlyTouchesCameAfterTheCloseIsUnattributed() {
        var a = run(ModelType.LINEAR, WON, List.of(touch("late", "2026-02-10", "a")), DEFAULTS);
        assertEquals(100_000L, a.unattributedMinor());
        assertEquals(Exclusion.AFTER_CLOSE, a.touches().get(0).exclusion());
    }

    @Test
    void foreignCurrencyIsConvertedOnceOnTheTotalAtTheRateDatedOnTheCloseDay() {
        // 1,000.00 EUR, closed 2026-01-29: the EUR rate valid then is 1.10 (from 2026-01-01; 1.20 starts 2026-02-01)
        // USD total = 1,000.00 x 1.10 = 1,100.00 = 110,000 cents. Linear over 3 touches:
        // EUR 100,000/3 -> 33,334 / 33,333 / 33,333; USD 110,000/3 = 36,666.67 -> 36,667 / 36,667 / 36,666
        RateTable rates = RateTable.builder("USD").rate("EUR", LocalDate.parse("2026-01-01"), new BigDecimal("1.10"))
                .rate("EUR", LocalDate.parse("2026-02-01"), new BigDecimal("1.20")).build();
        DealInput deal = new DealInput("d8", 100_000, "EUR", null, day("2026-01-10"), null, day("2026-01-29"), true,
                null);
        var a = run(ModelType.LINEAR, deal, List.of(touch("a", "2026-01-10", "x"), touch("b", "2026-01-11", "y"),
                touch("c", "2026-01-12", "z")), DEFAULTS.withRates(rates));
        assertEquals(110_000L, a.reportingAmountMinor());
        assertEquals(List.of(33_334L, 33_333L, 33_333L), new ArrayList<>(credits(a).values()));
        assertEquals(List.of(36_667L, 36_667L, 36_666L),
                a.touches().stream().map(TouchCredit::reportingMinor).toList());
    }

    @Test
    void currencyWithoutDecimalsStaysWhole() {
        // 1,000 JPY (no minor unit) linear over 3: 333.33 -> 334, 333, 333
        DealInput deal = new DealInput("d9", Money.toMinor(new BigDecimal("1000"), "JPY", true), "JPY", null,
                day("2026-01-10"), null, null, false, day("2026-02-01"));
        var a = run(ModelType.LINEAR, deal, List.of(touch("a", "2026-01-10", "x"), touch("b", "2026-01-11", "y"),
                touch("c", "2026-01-12", "z")), DEFAULTS);
        assertEquals(List.of(334L, 333L, 333L), new ArrayList<>(credits(a).values()));
    }

    @Test
    void touchesAtTheSameInstantAreOrderedById() {
        // same time: "a" sorts before "b" -> first touch is "a", and the leftover cent of 3/2 goes to "a"
        Instant t = day("2026-01-10");
        DealInput deal = new DealInput("d10", 3, "USD", null, day("2026-01-10"), null, null, false, day("2026-02-01"));
        List<TouchInput> touches = List.of(new TouchInput("b", t, "y", null, null, "x", null),
                new TouchInput("a", t, "x", null, null, "x", null));
        assertEquals(3L, run(ModelType.FIRST_TOUCH, deal, touches, DEFAULTS).touches().get(0).amountMinor());
        assertEquals(List.of(2L, 1L), run(ModelType.LINEAR, deal, touches, DEFAULTS).touches().stream()
                .map(TouchCredit::amountMinor).toList());
    }
}
