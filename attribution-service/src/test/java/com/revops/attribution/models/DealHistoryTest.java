package com.revops.attribution.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.revops.attribution.models.DealHistory.AmountChange;
import com.revops.attribution.models.DealHistory.StageChange;
import com.revops.attribution.models.DealHistory.StageRules;

/** Reopened deals, amount changes and the qualification date, resolved as of a time. */
class DealHistoryTest {

    static final StageRules RULES = new StageRules(Set.of("qualifiedtobuy", "presentationscheduled"),
            Set.of("closedwon"), Set.of("closedlost"));

    static Instant d(int day) {
        return Instant.parse("2026-01-01T00:00:00Z").plusSeconds(86_400L * day);
    }

    static final List<StageChange> REOPENED_THEN_WON = List.of(new StageChange(d(0), "appointmentscheduled"),
            new StageChange(d(5), "qualifiedtobuy"), new StageChange(d(10), "closedlost"),
            new StageChange(d(20), "presentationscheduled"), new StageChange(d(30), "closedwon"));

    static final List<AmountChange> AMOUNTS = List.of(new AmountChange(d(0), 100_000, "USD"),
            new AmountChange(d(25), 120_000, "USD"));

    @Test
    void aReopenedDealThatWonClosesAtItsFinalClose() {
        var r = DealHistory.resolve("x", d(0), null, REOPENED_THEN_WON, AMOUNTS, RULES, null);
        assertEquals(d(30), r.deal().closedAt());
        assertTrue(r.deal().won());
        assertEquals(d(5), r.deal().qualifiedAt(), "qualified once, at the first qualified stage");
        // a touch on day 15 (between the loss and the reopen) is eligible, one on day 31 is after the close
        var touches = List.of(new TouchInput("mid", d(15), "events", null, null, "webinar", null),
                new TouchInput("late", d(31), "email", null, null, "email-click", null));
        var a = AttributionEngine.attribute(ModelType.LINEAR, r.deal(), touches, AttributionSettings.defaults());
        assertEquals(120_000L, a.touches().get(0).amountMinor());
        assertEquals(Exclusion.AFTER_CLOSE, a.touches().get(1).exclusion());
    }

    @Test
    void aDealReopenedAndStillOpenHasNoClose() {
        var r = DealHistory.resolve("x", d(0), null, REOPENED_THEN_WON, AMOUNTS, RULES, d(22));
        assertNull(r.deal().closedAt());
        assertFalse(r.deal().won());
        assertTrue(r.reopened());
        assertTrue(r.notes().get(0).startsWith("reopened"));
    }

    @Test
    void asOfALostDayTheDealIsClosedLost() {
        var r = DealHistory.resolve("x", d(0), null, REOPENED_THEN_WON, AMOUNTS, RULES, d(12));
        assertEquals(d(10), r.deal().closedAt());
        assertFalse(r.deal().won());
    }

    @Test
    void theAmountAsOfTheComputationIsAttributed() {
        assertEquals(100_000L, DealHistory.resolve("x", d(0), null, REOPENED_THEN_WON, AMOUNTS, RULES, d(20))
                .deal().amountMinor());
        var now = DealHistory.resolve("x", d(0), null, REOPENED_THEN_WON, AMOUNTS, RULES, null);
        assertEquals(120_000L, now.deal().amountMinor());
        assertTrue(now.notes().stream().anyMatch(n -> n.startsWith("amount changed 1 time")));
    }

    @Test
    void wonWithoutPassingAQualifiedStageIsQualifiedAtTheWin() {
        var r = DealHistory.resolve("x", d(0), null, List.of(new StageChange(d(0), "appointmentscheduled"),
                new StageChange(d(3), "closedwon")), AMOUNTS, RULES, null);
        assertEquals(d(3), r.deal().qualifiedAt());
    }
}
