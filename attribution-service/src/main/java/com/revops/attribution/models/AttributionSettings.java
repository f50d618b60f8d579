package com.revops.attribution.models;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a model needs besides the deal and its touches.
 *
 * @param lookback       touches earlier than this before the opportunity was created are excluded
 * @param halfLife       time decay: a touch this long before the anchor counts half as much as one at the anchor
 * @param uShaped        weights of the U-shaped model
 * @param wShaped        weights of the W-shaped model
 * @param fullPath       weights of the full-path model
 * @param custom         weights of the custom model
 * @param rates          dated exchange rates into the reporting currency
 * @param channelWeights fitted channel weights for MARKOV or SHAPLEY (removal effects or Shapley values); empty
 *                       for the rule-based models
 */
public record AttributionSettings(Duration lookback, Duration halfLife, MilestoneWeights uShaped,
        MilestoneWeights wShaped, MilestoneWeights fullPath, MilestoneWeights custom, RateTable rates,
        Map<String, Double> channelWeights) {

    public static final Duration DEFAULT_LOOKBACK = Duration.ofDays(365);
    public static final Duration DEFAULT_HALF_LIFE = Duration.ofDays(7);

    public AttributionSettings {
        Objects.requireNonNull(lookback, "lookback");
        Objects.requireNonNull(halfLife, "halfLife");
        if (lookback.isNegative() || lookback.isZero()) {
            throw new IllegalArgumentException("lookback must be positive");
        }
        if (halfLife.isNegative() || halfLife.isZero()) {
            throw new IllegalArgumentException("half-life must be positive");
        }
        uShaped = uShaped == null ? MilestoneWeights.U_SHAPED : uShaped;
        wShaped = wShaped == null ? MilestoneWeights.W_SHAPED : wShaped;
        fullPath = fullPath == null ? MilestoneWeights.FULL_PATH : fullPath;
        custom = custom == null ? MilestoneWeights.U_SHAPED : custom;
        rates = rates == null ? RateTable.none("USD") : rates;
        channelWeights = channelWeights == null ? Map.of() : Map.copyOf(channelWeights);
    }

    /** The defaults of the issue: 365-day lookback, 7-day half-life, USD reporting with no other rates. */
    public static AttributionSettings defaults() {
        return new AttributionSettings(DEFAULT_LOOKBACK, DEFAULT_HALF_LIFE, null, null, null, null, null, null);
    }

    public AttributionSettings withRates(RateTable table) {
        return new AttributionSettings(lookback, halfLife, uShaped, wShaped, fullPath, custom, table, channelWeights);
    }

    public AttributionSettings withChannelWeights(Map<String, Double> weights) {
        return new AttributionSettings(lookback, halfLife, uShaped, wShaped, fullPath, custom, rates, weights);
    }

    public AttributionSettings withCustom(MilestoneWeights weights) {
        return new AttributionSettings(lookback, halfLife, uShaped, wShaped, fullPath, weights, rates, channelWeights);
    }

    public AttributionSettings withLookback(Duration d) {
        return new AttributionSettings(d, halfLife, uShaped, wShaped, fullPath, custom, rates, channelWeights);
    }

    public AttributionSettings withHalfLife(Duration d) {
        return new AttributionSettings(lookback, d, uShaped, wShaped, fullPath, custom, rates, channelWeights);
    }

    /** The milestone weights of a position-based model; null for other models. */
    public MilestoneWeights weightsFor(ModelType model) {
        return switch (model) {
            case U_SHAPED -> uShaped;
            case W_SHAPED -> wShaped;
            case FULL_PATH -> fullPath;
            case CUSTOM -> custom;
            default -> null;
        };
    }
}
