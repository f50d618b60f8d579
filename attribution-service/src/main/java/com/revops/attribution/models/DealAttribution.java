package com.revops.attribution.models;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deal's attribution under one model: one {@link TouchCredit} per touch given (in canonical order: time, then id),
 * and an explicit UNATTRIBUTED line when no touch was eligible. {@code sum(amountMinor) + unattributedMinor ==
 * amountMinor} always holds, and likewise in the reporting currency.
 *
 * @param notes deal-level rules that were applied (spread redistributed, milestone absent, currency converted...)
 */
public record DealAttribution(String dealId, ModelType model, String currency, long amountMinor,
        String reportingCurrency, long reportingAmountMinor, List<TouchCredit> touches, long unattributedMinor,
        long unattributedReportingMinor, List<String> notes) {

    /** The channel key of the UNATTRIBUTED line. */
    public static final String UNATTRIBUTED = "UNATTRIBUTED";

    /** Credit per channel in the deal currency, UNATTRIBUTED included when non-zero; channels with nothing absent. */
    public Map<String, Long> byChannel() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (TouchCredit t : touches) {
            if (t.amountMinor() > 0) {
                out.merge(t.touch().channelKey(), t.amountMinor(), Long::sum);
            }
        }
        if (unattributedMinor > 0) {
            out.merge(UNATTRIBUTED, unattributedMinor, Long::sum);
        }
        return out;
    }

    /** Sum of all credit lines in the deal currency (equals {@link #amountMinor()}). */
    public long creditedTotal() {
        long sum = unattributedMinor;
        for (TouchCredit t : touches) {
            sum += t.amountMinor();
        }
        return sum;
    }
}
