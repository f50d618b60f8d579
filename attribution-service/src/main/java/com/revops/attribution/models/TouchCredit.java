package com.revops.attribution.models;

import java.util.List;

/**
 * The outcome for one touch: its milestones, the rule that gave it its share, the share and the money, or why it
 * was excluded.
 *
 * @param touch          the touch
 * @param roles          milestones the touch holds (empty for a middle touch); shown even when the model ignores them
 * @param rule           the rule applied, in words (e.g. "U-shaped: first touch 40% + lead creation 40%, normalised")
 * @param weight         the touch's share of the deal, 0..1
 * @param amountMinor    credit in minor units of the deal currency
 * @param reportingMinor credit in minor units of the reporting currency (-1 when no rate was available)
 * @param exclusion      why it got nothing, or null when it was eligible
 */
public record TouchCredit(TouchInput touch, List<Milestone> roles, String rule, double weight, long amountMinor,
        long reportingMinor, Exclusion exclusion) {

    public boolean included() {
        return exclusion == null;
    }
}
