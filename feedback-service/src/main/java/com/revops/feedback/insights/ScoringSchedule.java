package com.revops.feedback.insights;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Plain-Java decisions of the scheduled scoring publication: periods, content digests, CRM write-back. */
public final class ScoringSchedule {

    private ScoringSchedule() {
    }

    /** The start of the period {@code now} falls in: periods of {@code every} counted from the epoch (UTC). */
    public static Instant periodStart(Instant now, Duration every) {
        long size = Math.max(1, every.toSeconds());
        return Instant.ofEpochSecond(Math.floorDiv(now.getEpochSecond(), size) * size);
    }

    /**
     * A digest of what a dimension's publication says (baselines and every value's counts, rates, intervals and
     * adjustment, in value order); the period bounds are not part of it, so an unchanged picture is not re-sent.
     */
    public static String digest(double baselineRate, double baselineFitRate,
            List<ScoringAdvisor.Suggestion> values) {
        StringBuilder canonical = new StringBuilder().append(baselineRate).append('|').append(baselineFitRate);
        values.stream().sorted(Comparator.comparing(ScoringAdvisor.Suggestion::value,
                Comparator.nullsFirst(Comparator.naturalOrder())))
                .forEach(v -> canonical.append('\n').append(v));
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What the CRM record of an open lead needs. */
    public enum Write {
        /** Write the new adjustment. */
        SET,
        /** It went back to zero: write 0 once and forget the record. */
        CLEAR,
        /** Nothing changed since the last write. */
        NONE
    }

    /** {@code previous}: what was last written to the record (null: nothing). */
    public static Write decide(int points, Integer previous) {
        if (points != 0) {
            return previous != null && previous == points ? Write.NONE : Write.SET;
        }
        return previous != null && previous != 0 ? Write.CLEAR : Write.NONE;
    }
}
