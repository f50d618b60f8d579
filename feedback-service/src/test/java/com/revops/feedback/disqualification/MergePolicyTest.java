package com.revops.feedback.disqualification;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import org.junit.jupiter.api.Test;

/** Plain Java: which standing disqualification survives a merge. */
class MergePolicyTest {

    static MergePolicy.Candidate c(boolean reason, boolean note, boolean dispute, boolean survivors) {
        return new MergePolicy.Candidate(UUID.randomUUID(), reason, note, dispute, survivors);
    }

    @Test
    void aGivenReasonBeatsAMissingOne() {
        MergePolicy.Candidate survivors = c(false, false, true, true);
        MergePolicy.Candidate moved = c(true, false, false, false);
        assertEquals(moved, MergePolicy.keep(survivors, moved));
    }

    @Test
    void thenANoteThenAnOpenDisputeThenTheSurvivorsOwn() {
        MergePolicy.Candidate noted = c(true, true, false, false);
        assertEquals(noted, MergePolicy.keep(c(true, false, true, true), noted));
        MergePolicy.Candidate disputed = c(true, false, true, false);
        assertEquals(disputed, MergePolicy.keep(c(true, false, false, true), disputed));
        MergePolicy.Candidate own = c(true, true, false, true);
        assertEquals(own, MergePolicy.keep(own, c(true, true, false, false)));
    }
}
