package com.revops.attribution.models;

import java.time.Instant;
import java.util.Objects;

/**
 * One touch as the models see it.
 *
 * @param id       stable id (the tie-breaker after time)
 * @param at       when it happened; never null (the data layer rejects touches without a time)
 * @param channel  e.g. paid-search, events; null is reported as {@link #NO_CHANNEL}
 * @param source   e.g. google-ads, webinar
 * @param campaign campaign key, may be null
 * @param type     ad-click, form-submission, webinar, email-click, sdr-call, ae-meeting, ...
 * @param team     marketing, sdr, ae, partner
 */
public record TouchInput(String id, Instant at, String channel, String source, String campaign, String type,
        String team) {

    public static final String NO_CHANNEL = "(none)";

    public TouchInput {
        Objects.requireNonNull(id, "touch id");
        Objects.requireNonNull(at, "touch time");
    }

    /** The channel key credits are grouped by. */
    public String channelKey() {
        return channel == null || channel.isBlank() ? NO_CHANNEL : channel;
    }
}
