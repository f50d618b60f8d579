package com.revops.attribution.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Markov removal effect and Shapley values on small journeys solved by hand. */
class DataDrivenModelsTest {

    static final double EPS = 1e-12;

    static Journey j(boolean converted, String... channels) {
        return new Journey(List.of(channels), converted);
    }

    @Test
    void markovRemovalEffectOnAThreeJourneyExample() {
        // journeys: A->B->conv, A->null, B->conv
        // transitions: START->A 2/3, START->B 1/3; A->B 1/2, A->null 1/2; B->conv 1
        // x_B = 1; x_A = 1/2 * x_B = 1/2; P = 2/3 * 1/2 + 1/3 * 1 = 2/3 (2 of 3 journeys convert)
        // remove A (x_A = 0): P = 1/3 * 1 = 1/3 -> RE_A = 1 - (1/3)/(2/3) = 1/2
        // remove B (x_B = 0): x_A = 0, P = 0 -> RE_B = 1
        // weights: A = 0.5 / 1.5 = 1/3, B = 1 / 1.5 = 2/3
        var r = MarkovChain.fit(List.of(j(true, "A", "B"), j(false, "A"), j(true, "B")));
        assertEquals(2.0 / 3, r.conversionProbability(), EPS);
        assertEquals(0.5, r.removalEffects().get("A"), EPS);
        assertEquals(1.0, r.removalEffects().get("B"), EPS);
        assertEquals(1.0 / 3, r.weights().get("A"), EPS);
        assertEquals(2.0 / 3, r.weights().get("B"), EPS);
    }

    @Test
    void markovSolvesChainsWithCyclesInClosedForm() {
        // journeys: A->B->A->conv, B->null
        // transitions: START->A 1/2, START->B 1/2; A->B 1/2, A->conv 1/2; B->A 1/2, B->null 1/2
        // x_A = 1/2 x_B + 1/2, x_B = 1/2 x_A -> x_A = 1/4 x_A + 1/2 -> x_A = 2/3, x_B = 1/3
        // P = 1/2 * 2/3 + 1/2 * 1/3 = 1/2
        // remove A: x_B = 0 -> P = 0 -> RE_A = 1; remove B: x_A = 1/2 -> P = 1/4 -> RE_B = 1/2
        // weights A = 1 / 1.5 = 2/3, B = 1/3
        var r = MarkovChain.fit(List.of(j(true, "A", "B", "A"), j(false, "B")));
        assertEquals(0.5, r.conversionProbability(), EPS);
        assertEquals(1.0, r.removalEffects().get("A"), EPS);
        assertEquals(0.5, r.removalEffects().get("B"), EPS);
        assertEquals(2.0 / 3, r.weights().get("A"), EPS);
    }

    @Test
    void markovIsDeterministicAndIndependentOfJourneyOrder() {
        Random random = new Random(7);
        List<Journey> journeys = new ArrayList<>();
        String[] channels = {"search", "social", "email", "events", "sdr"};
        for (int i = 0; i < 2_000; i++) {
            List<String> path = new ArrayList<>();
            int len = 1 + random.nextInt(6);
            for (int k = 0; k < len; k++) {
                path.add(channels[random.nextInt(channels.length)]);
            }
            journeys.add(new Journey(path, random.nextInt(4) == 0));
        }
        var a = MarkovChain.fit(journeys);
        List<Journey> reversed = new ArrayList<>(journeys);
        java.util.Collections.reverse(reversed);
        var b = MarkovChain.fit(reversed);
        assertEquals(a.weights(), b.weights());
        assertEquals(1.0, a.weights().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void nothingConvertsMeansNoWeights() {
        var r = MarkovChain.fit(List.of(j(false, "A"), j(false, "B")));
        assertEquals(0.0, r.conversionProbability(), EPS);
        assertEquals(Map.of("A", 0.0, "B", 0.0), r.weights());
    }

    @Test
    void shapleyOnTwoSymmetricChannels() {
        // sets: {A} 1 of 2 convert, {B} 1 of 2, {A,B} 2 of 2
        // v(A) = 1/2, v(B) = 1/2, v(AB) = (1+1+2)/(2+2+2) = 2/3
        // phi_A = 1/2 [v(A) - v(0)] + 1/2 [v(AB) - v(B)] = 1/2 * 1/2 + 1/2 * 1/6 = 1/3 = phi_B; sum 2/3 = v(AB)
        var r = ShapleyValues.compute(List.of(j(true, "A"), j(false, "A"), j(true, "B"), j(false, "B"),
                j(true, "A", "B"), j(true, "B", "A")), 1, 1000);
        assertTrue(r.exact());
        assertEquals(1.0 / 3, r.values().get("A"), EPS);
        assertEquals(1.0 / 3, r.values().get("B"), EPS);
        assertEquals(0.5, r.weights().get("A"), EPS);
    }

    @Test
    void shapleyClampsANegativeContributionToZeroWeight() {
        // journeys A->B->conv, A->null, B->conv: sets {A,B} 1/1, {A} 0/1, {B} 1/1
        // v(A) = 0, v(B) = 1, v(AB) = 2/3
        // phi_A = 1/2 (0 - 0) + 1/2 (2/3 - 1) = -1/6 ; phi_B = 1/2 (1 - 0) + 1/2 (2/3 - 0) = 5/6 ; sum 2/3
        // A's journeys convert worse than B alone: A gets weight 0, B weight 1
        var r = ShapleyValues.compute(List.of(j(true, "A", "B"), j(false, "A"), j(true, "B")), 1, 1000);
        assertEquals(-1.0 / 6, r.values().get("A"), EPS);
        assertEquals(5.0 / 6, r.values().get("B"), EPS);
        assertEquals(0.0, r.weights().get("A"), EPS);
        assertEquals(1.0, r.weights().get("B"), EPS);
    }

    @Test
    void shapleyOnThreeChannels() {
        // sets: {A} 1/1, {B} 0/1, {C} 0/1, {A,B} 1/1, {B,C} 1/2
        // v(A)=1, v(B)=0, v(C)=0, v(AB)=(1+0+1)/3=2/3, v(AC)=(1+0)/2=1/2, v(BC)=(0+0+1)/4=1/4,
        // v(ABC)=(1+0+0+1+1)/6=1/2
        // phi_A = 1/3[v(A)] + 1/6[v(AB)-v(B)] + 1/6[v(AC)-v(C)] + 1/3[v(ABC)-v(BC)]
        //       = 1/3 + 1/6*2/3 + 1/6*1/2 + 1/3*1/4 = 1/3 + 1/9 + 1/12 + 1/12 = 11/18
        // phi_B = 1/3[0] + 1/6[v(AB)-v(A)] + 1/6[v(BC)-v(C)] + 1/3[v(ABC)-v(AC)]
        //       = 0 + 1/6*(-1/3) + 1/6*1/4 + 1/3*0 = -1/18 + 1/24 = -1/72
        // phi_C = 1/3[0] + 1/6[v(AC)-v(A)] + 1/6[v(BC)-v(B)] + 1/3[v(ABC)-v(AB)]
        //       = 1/6*(-1/2) + 1/6*1/4 + 1/3*(-1/6) = -1/12 + 1/24 - 1/18 = -7/72
        // sum = 44/72 - 1/72 - 7/72 = 36/72 = 1/2 = v(ABC)
        List<Journey> journeys = List.of(j(true, "A"), j(false, "B"), j(false, "C"), j(true, "A", "B"),
                j(true, "B", "C"), j(false, "C", "B"));
        var r = ShapleyValues.compute(journeys, 1, 1000);
        assertEquals(11.0 / 18, r.values().get("A"), EPS);
        assertEquals(-1.0 / 72, r.values().get("B"), EPS);
        assertEquals(-7.0 / 72, r.values().get("C"), EPS);
    }

    @Test
    void sampledShapleyIsSeededAndApproachesTheExactValues() {
        Random random = new Random(11);
        List<Journey> journeys = new ArrayList<>();
        for (int i = 0; i < 3_000; i++) {
            List<String> path = new ArrayList<>();
            int len = 1 + random.nextInt(4);
            for (int k = 0; k < len; k++) {
                path.add("c" + random.nextInt(6));
            }
            boolean converted = path.contains("c0") ? random.nextInt(2) == 0 : random.nextInt(6) == 0;
            journeys.add(new Journey(path, converted));
        }
        var exact = ShapleyValues.compute(journeys, 1, 1);
        var idx = new java.util.HashMap<Long, long[]>();
        // same data through the sampler (forced, although 6 channels could be exact)
        List<String> names = List.of("c0", "c1", "c2", "c3", "c4", "c5");
        for (Journey jn : journeys) {
            long mask = 0;
            for (String c : jn.channels()) {
                mask |= 1L << names.indexOf(c);
            }
            long[] agg = idx.computeIfAbsent(mask, k -> new long[2]);
            agg[0]++;
            agg[1] += jn.converted() ? 1 : 0;
        }
        double[] s1 = ShapleyValues.sampled(6, idx, 42, 20_000);
        double[] s2 = ShapleyValues.sampled(6, idx, 42, 20_000);
        assertTrue(java.util.Arrays.equals(s1, s2), "same seed, same values");
        double[] s3 = ShapleyValues.sampled(6, idx, 43, 20_000);
        assertFalse(java.util.Arrays.equals(s1, s3), "another seed draws other orders");
        for (int i = 0; i < 6; i++) {
            assertEquals(exact.values().get(names.get(i)), s1[i], 0.005, "channel " + names.get(i));
        }
    }

    @Test
    void moreThanFifteenChannelsAreSampled() {
        List<Journey> journeys = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            journeys.add(j(i % 3 == 0, "ch" + i, "ch" + ((i + 1) % 20)));
        }
        var r = ShapleyValues.compute(journeys, 5, 500);
        assertFalse(r.exact());
        assertEquals(20, r.values().size());
        assertEquals(r.values(), ShapleyValues.compute(journeys, 5, 500).values());
        // efficiency: every permutation's marginal contributions add up to v(all channels)
        double vAll = journeys.stream().filter(Journey::converted).count() / (double) journeys.size();
        assertEquals(vAll, r.values().values().stream().mapToDouble(Double::doubleValue).sum(), 1e-9);
    }

    @Test
    void dealAttributionSplitsByFittedChannelWeightsThenEvenlyWithinAChannel() {
        // weights A 1/3, B 2/3 (the Markov example). Deal of 90,000 with touches A, A, B:
        // A's 30,000 shared by its 2 touches = 15,000 each; B 60,000
        var fitted = MarkovChain.fit(List.of(j(true, "A", "B"), j(false, "A"), j(true, "B"))).weights();
        DealInput deal = new DealInput("d", 90_000, "USD", null, Instant.parse("2026-01-01T00:00:00Z"), null,
                Instant.parse("2026-02-01T00:00:00Z"), true, null);
        List<TouchInput> touches = List.of(
                new TouchInput("1", Instant.parse("2026-01-02T00:00:00Z"), "A", null, null, "ad-click", null),
                new TouchInput("2", Instant.parse("2026-01-03T00:00:00Z"), "B", null, null, "sdr-call", null),
                new TouchInput("3", Instant.parse("2026-01-04T00:00:00Z"), "A", null, null, "webinar", null));
        var a = AttributionEngine.attribute(ModelType.MARKOV, deal, touches,
                AttributionSettings.defaults().withChannelWeights(fitted));
        assertEquals(List.of(15_000L, 60_000L, 15_000L), a.touches().stream().map(TouchCredit::amountMinor).toList());
    }
}
