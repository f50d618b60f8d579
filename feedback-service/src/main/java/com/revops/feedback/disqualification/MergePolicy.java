package com.revops.feedback.disqualification;

import java.util.Comparator;
import java.util.UUID;

/**
 * Which of two standing disqualifications of one person survives a CRM merge: the more informative one. Plain Java.
 * In order: a reason was given; a note explains it; a dispute is open on it (the dispute must keep its subject);
 * the surviving record's own.
 */
public final class MergePolicy {

    private MergePolicy() {
    }

    /** What the choice looks at. */
    public record Candidate(UUID id, boolean reasonProvided, boolean hasNote, boolean openDispute,
            boolean survivorsOwn) {
    }

    static final Comparator<Candidate> INFORMATIVE = Comparator.comparing(Candidate::reasonProvided)
            .thenComparing(Candidate::hasNote).thenComparing(Candidate::openDispute)
            .thenComparing(Candidate::survivorsOwn);

    /** The candidate to keep ACTIVE; the other becomes MERGED. */
    public static Candidate keep(Candidate survivors, Candidate moved) {
        return INFORMATIVE.compare(moved, survivors) > 0 ? moved : survivors;
    }
}
