package com.revops.feedback.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * The hand-computed fixture (also loaded into the database by InsightsApiTest):
 * source "fixture-a": 40 leads, 20 disqualified (16 NOT_ICP = fit, 4 BAD_TIMING = timing);
 * source "fixture-b": 60 leads, 6 disqualified (6 BAD_TIMING).
 * Totals: 100 leads, 26 disqualified, baseline 26/100 = 0.26; fit-negative 16, baseline fit rate 0.16.
 */
class RateTableAndScoringFixtureTest {

    static final List<RateTable.Cell> CELLS = List.of(
            new RateTable.Cell("fixture-a", 40, 20, Map.of("NOT_ICP", 16L, "BAD_TIMING", 4L),
                    Map.of("fit", 16L, "timing", 4L)),
            new RateTable.Cell("fixture-b", 60, 6, Map.of("BAD_TIMING", 6L), Map.of("timing", 6L)));

    @Test
    void ratesLiftAndMixAgainstTheBaseline() {
        RateTable.Table t = RateTable.compute(CELLS, 1.96);
        assertEquals(100, t.leads());
        assertEquals(26, t.disqualified());
        assertEquals(0.26, t.baselineRate(), 1e-9);
        // baseline category share: fit 16/26 = 0.615385, timing 10/26 = 0.384615
        assertEquals(0.615385, t.baselineCategoryShare().get("fit"), 1e-6);
        assertEquals(0.384615, t.baselineCategoryShare().get("timing"), 1e-6);

        RateTable.Row b = t.rows().get(0); // 60 leads: largest first
        assertEquals("fixture-b", b.value());
        assertEquals(0.1, b.rate(), 1e-9); // 6/60
        assertEquals(0.384615, b.lift(), 1e-6); // 0.1/0.26
        assertEquals(-16.0, b.deltaPoints(), 1e-6); // (0.1 - 0.26) * 100
        assertEquals(0.046642, b.interval().lower(), 2e-6);
        assertEquals(0.201497, b.interval().upper(), 2e-6);
        assertEquals(1.0, b.reasonShare().get("BAD_TIMING"), 1e-9);

        RateTable.Row a = t.rows().get(1);
        assertEquals(0.5, a.rate(), 1e-9); // 20/40
        assertEquals(1.923077, a.lift(), 1e-6); // 0.5/0.26
        assertEquals(24.0, a.deltaPoints(), 1e-6); // (0.5 - 0.26) * 100
        assertEquals(0.351993, a.interval().lower(), 2e-6);
        assertEquals(0.648007, a.interval().upper(), 2e-6);
        assertEquals(0.8, a.reasonShare().get("NOT_ICP"), 1e-9); // 16/20
        assertEquals(0.2, a.reasonShare().get("BAD_TIMING"), 1e-9); // 4/20
        assertEquals(0.184615, a.categoryShareDelta().get("fit"), 1e-6); // 0.8 - 0.615385
        assertEquals(-0.184615, a.categoryShareDelta().get("timing"), 1e-6); // 0.2 - 0.384615
    }

    @Test
    void scoringAdviceOnlyCountsFitAgainstAnAttribute() {
        ScoringAdvisor.Advice advice = ScoringAdvisor.advise(List.of(
                new ScoringAdvisor.Input("fixture-a", 40, 20, 16),
                new ScoringAdvisor.Input("fixture-b", 60, 6, 0)), new ScoringAdvisor.Settings(1.96, 30, 100, 20));
        assertEquals(0.16, advice.baselineFitRate(), 1e-9);
        ScoringAdvisor.Suggestion a = advice.values().stream().filter(s -> s.value().equals("fixture-a")).findFirst()
                .orElseThrow();
        // fit rate 16/40 = 0.4, Wilson (0.263481, 0.554044) lies above 0.16:
        // adjustment = -round(100 * (0.263481 - 0.16)) = -round(10.35) = -10
        assertEquals(0.4, a.fitRate(), 1e-9);
        assertEquals(0.263481, a.fitInterval().lower(), 2e-6);
        assertEquals(2.5, a.lift(), 1e-9); // 0.4 / 0.16
        assertEquals(-10, a.adjustment());
        assertEquals("worse-than-baseline", a.basis());
        ScoringAdvisor.Suggestion b = advice.values().stream().filter(s -> s.value().equals("fixture-b")).findFirst()
                .orElseThrow();
        // its 6 disqualifications are all "bad timing": a good fit. Fit rate 0/60, Wilson upper 0.060174 < 0.16:
        // adjustment = +round(100 * (0.16 - 0.060174)) = +round(9.98) = +10
        assertEquals(0.060174, b.fitInterval().upper(), 2e-6);
        assertEquals(10, b.adjustment());
        assertEquals("better-than-baseline", b.basis());
    }

    @Test
    void smallOrInconclusiveSamplesSuggestNothing() {
        ScoringAdvisor.Advice advice = ScoringAdvisor.advise(List.of(
                new ScoringAdvisor.Input("tiny", 10, 9, 9),
                new ScoringAdvisor.Input("average", 100, 20, 16),
                new ScoringAdvisor.Input("rest", 100, 20, 15)), new ScoringAdvisor.Settings(1.96, 30, 100, 20));
        var byValue = advice.values().stream().collect(java.util.stream.Collectors.toMap(
                ScoringAdvisor.Suggestion::value, s -> s));
        assertEquals(0, byValue.get("tiny").adjustment());
        assertEquals("insufficient-sample", byValue.get("tiny").basis());
        assertEquals(0, byValue.get("average").adjustment());
        assertEquals("not-significant", byValue.get("average").basis());
    }

    @Test
    void adjustmentIsCappedAndAnEmptyBaselineHasNoLift() {
        ScoringAdvisor.Advice advice = ScoringAdvisor.advise(List.of(
                new ScoringAdvisor.Input("all-bad", 1000, 1000, 1000),
                new ScoringAdvisor.Input("all-good", 1000, 0, 0)), new ScoringAdvisor.Settings(1.96, 30, 100, 20));
        assertEquals(-20, advice.values().stream().filter(s -> s.value().equals("all-bad")).findFirst()
                .orElseThrow().adjustment());
        ScoringAdvisor.Advice none = ScoringAdvisor.advise(List.of(new ScoringAdvisor.Input("x", 50, 0, 0)),
                new ScoringAdvisor.Settings(1.96, 30, 100, 20));
        assertNull(none.values().get(0).lift());
    }

    @Test
    void leadAdjustmentSumsItsValuesWithinTheCap() {
        Map<String, Map<String, Integer>> adj = Map.of("source", Map.of("fixture-a", -10, "fixture-b", 10),
                "country", Map.of("US", -15, "(none)", 5));
        // -10 + -15 = -25, capped at -20
        assertEquals(-20, ScoringAdvisor.leadAdjustment(Map.of("source", "fixture-a", "country", "US"), adj, 20));
        // +10 + 5 (no country: counts as "(none)") = 15
        assertEquals(15, ScoringAdvisor.leadAdjustment(Map.of("source", "fixture-b"), adj, 20));
        // unknown values contribute nothing
        assertEquals(0, ScoringAdvisor.leadAdjustment(Map.of("source", "other", "country", "FR"), adj, 20));
    }
}
