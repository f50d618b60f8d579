package com.revops.attribution.models;

import java.util.List;

/**
 * One path of channels in time order and whether it ended in a conversion (a closed-won deal); the input of the
 * data-driven models.
 */
public record Journey(List<String> channels, boolean converted) {

    public Journey {
        channels = List.copyOf(channels);
    }
}
