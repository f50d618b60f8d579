package com.revops.attribution.models;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/**
 * Position-based weights: a share per milestone plus a share spread evenly over the "middle" touches (those that
 * hold none of the weighted milestones). U-shaped, W-shaped and full path are presets; custom weights are any
 * other combination. Weights are relative: they are normalised over what is present in a deal.
 */
public record MilestoneWeights(Map<Milestone, Double> milestones, double spread) {

    /** 40% first touch, 40% lead creation, 20% spread over the rest. */
    public static final MilestoneWeights U_SHAPED = of(0.20, Milestone.FIRST_TOUCH, 0.40, Milestone.LEAD_CREATION,
            0.40);
    /** 30/30/30 first touch, lead creation, opportunity creation, 10% spread. */
    public static final MilestoneWeights W_SHAPED = of(0.10, Milestone.FIRST_TOUCH, 0.30, Milestone.LEAD_CREATION,
            0.30, Milestone.OPPORTUNITY_CREATION, 0.30);
    /** 22.5% each for first touch, lead creation, opportunity creation and closed won, 10% spread. */
    public static final MilestoneWeights FULL_PATH = of(0.10, Milestone.FIRST_TOUCH, 0.225, Milestone.LEAD_CREATION,
            0.225, Milestone.OPPORTUNITY_CREATION, 0.225, Milestone.CLOSED_WON, 0.225);

    public MilestoneWeights {
        EnumMap<Milestone, Double> copy = new EnumMap<>(Milestone.class);
        if (milestones != null) {
            milestones.forEach((m, w) -> {
                if (m == null || w == null || !(w >= 0) || Double.isInfinite(w)) {
                    throw new IllegalArgumentException("milestone weights must be finite and non-negative");
                }
                copy.put(m, w);
            });
        }
        if (!(spread >= 0) || Double.isInfinite(spread)) {
            throw new IllegalArgumentException("spread weight must be finite and non-negative");
        }
        double total = spread;
        for (double w : copy.values()) {
            total += w;
        }
        if (total <= 0) {
            throw new IllegalArgumentException("at least one weight must be positive");
        }
        milestones = Collections.unmodifiableMap(copy);
    }

    public double weight(Milestone m) {
        return milestones.getOrDefault(m, 0.0);
    }

    /** {@code of(spread, m1, w1, m2, w2, ...)}. */
    public static MilestoneWeights of(double spread, Object... pairs) {
        EnumMap<Milestone, Double> map = new EnumMap<>(Milestone.class);
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((Milestone) pairs[i], ((Number) pairs[i + 1]).doubleValue());
        }
        return new MilestoneWeights(map, spread);
    }
}
