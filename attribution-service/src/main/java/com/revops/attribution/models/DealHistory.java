package com.revops.attribution.models;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Resolves a deal's history (stage changes, amount changes) into the {@link DealInput} the models read, as of a
 * point in time. Plain Java.
 *
 * <p>Rules:
 * <ul>
 * <li>Only changes at or before {@code asOf} are known.</li>
 * <li>Qualified at: the first time the deal entered a qualified stage (per the signed definition) or a won stage.
 * It is kept if the deal is later lost or reopened: the pipeline was created then, and counts once.</li>
 * <li>Closed at: when the deal entered its <em>current</em> closed streak (won or lost stages in a row). A deal
 * that was closed and is open again (reopened) has no close: its touches until now count, and its earlier close
 * is reported as a note.</li>
 * <li>Amount: the last amount change at or before {@code asOf} (corrections after the close included: the booked
 * amount is what the credits must add up to). Earlier amounts stay in the history; a new run shows the diff.</li>
 * </ul>
 */
public final class DealHistory {

    private DealHistory() {
    }

    /** A stage entered at a time. */
    public record StageChange(Instant at, String stage) {
    }

    /** An amount (minor units) and currency valid from a time. */
    public record AmountChange(Instant at, long amountMinor, String currency) {
    }

    /** Which stages mean what (from the signed definition). */
    public record StageRules(Set<String> qualifiedStages, Set<String> wonStages, Set<String> lostStages) {
        public boolean closed(String stage) {
            return wonStages.contains(stage) || lostStages.contains(stage);
        }
    }

    /** The resolved deal and what was noticed on the way. */
    public record Resolved(DealInput deal, boolean reopened, String currentStage, List<String> notes) {
    }

    public static Resolved resolve(String dealId, Instant createdAt, Instant leadCreatedAt,
            List<StageChange> stages, List<AmountChange> amounts, StageRules rules, Instant asOf) {
        List<StageChange> known = new ArrayList<>();
        for (StageChange s : stages) {
            if (s.at() != null && (asOf == null || !s.at().isAfter(asOf))) {
                known.add(s);
            }
        }
        known.sort(Comparator.comparing(StageChange::at));
        List<String> notes = new ArrayList<>();
        Instant qualifiedAt = null;
        boolean everClosed = false;
        Instant streakStart = null;
        String current = null;
        for (StageChange s : known) {
            boolean closedNow = rules.closed(s.stage());
            if (qualifiedAt == null && (rules.qualifiedStages().contains(s.stage())
                    || rules.wonStages().contains(s.stage()))) {
                qualifiedAt = s.at();
            }
            if (closedNow) {
                if (current == null || !rules.closed(current)) {
                    streakStart = s.at();
                }
            } else if (current != null && rules.closed(current)) {
                everClosed = true;
                notes.add("reopened at " + s.at() + " (closed since " + streakStart + "): touches after that close"
                        + " count again");
                streakStart = null;
            }
            current = s.stage();
        }
        boolean closed = current != null && rules.closed(current);
        boolean won = closed && rules.wonStages().contains(current);
        Instant closedAt = closed ? streakStart : null;
        boolean reopened = everClosed && !closed;

        AmountChange amount = null;
        for (AmountChange a : amounts) {
            if (a.at() != null && (asOf == null || !a.at().isAfter(asOf))
                    && (amount == null || !a.at().isBefore(amount.at()))) {
                amount = a;
            }
        }
        if (amount == null) {
            throw new IllegalArgumentException("deal " + dealId + " has no amount known as of " + asOf);
        }
        long changes = amounts.stream().filter(a -> a.at() != null && (asOf == null || !a.at().isAfter(asOf)))
                .count();
        if (changes > 1) {
            notes.add("amount changed " + (changes - 1) + " time(s); the amount as of " + amount.at()
                    + " is attributed");
        }
        DealInput deal = new DealInput(dealId, amount.amountMinor(), amount.currency(), leadCreatedAt, createdAt,
                qualifiedAt, closedAt, won, asOf);
        return new Resolved(deal, reopened, current, List.copyOf(notes));
    }
}
