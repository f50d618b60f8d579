package com.revops.attribution.models;

/** The attribution models. The first eight are rule-based; MARKOV and SHAPLEY are fitted on journeys. */
public enum ModelType {
    FIRST_TOUCH, LAST_TOUCH, LINEAR, U_SHAPED, W_SHAPED, FULL_PATH, TIME_DECAY, CUSTOM, MARKOV, SHAPLEY;

    public boolean dataDriven() {
        return this == MARKOV || this == SHAPLEY;
    }

    /** Parses {@code u-shaped}, {@code U_SHAPED}, {@code time_decay}...; null when unknown. */
    public static ModelType parse(String name) {
        if (name == null) {
            return null;
        }
        try {
            return valueOf(name.trim().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
