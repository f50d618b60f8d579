package com.revops.attribution.deals;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.revops.attribution.models.Money;
import com.revops.platform.web.Problem;

/**
 * A deal with its full history, as imported over REST (backfills, corrections, CRMs without webhooks). Validated
 * as a whole before anything is stored.
 */
public record DealImport(UUID id, String crm, String crmId, String name, String accountDomain, String owner,
        String team, String source, Instant createdAt, List<StageAt> stageHistory, List<AmountAt> amountHistory,
        List<ContactRole> contacts) {

    /** A stage entered at a time. */
    public record StageAt(Instant at, String stage) {
    }

    /** An amount valid from a time (decimal in the currency, e.g. 1200.50). */
    public record AmountAt(Instant at, BigDecimal amount, String currency) {
    }

    /** A contact of the deal (a lead id), its role, and whether it is the primary contact. */
    public record ContactRole(UUID leadId, String role, Boolean primary) {
    }

    public List<Problem.Violation> violations() {
        List<Problem.Violation> v = new ArrayList<>();
        if (crm == null || crm.isBlank()) {
            v.add(new Problem.Violation("crm", "required"));
        }
        if (crmId == null || crmId.isBlank()) {
            v.add(new Problem.Violation("crmId", "required"));
        }
        if (createdAt == null) {
            v.add(new Problem.Violation("createdAt", "required (when the opportunity was created)"));
        }
        if (stageHistory == null || stageHistory.isEmpty()) {
            v.add(new Problem.Violation("stageHistory", "at least the stage the deal was created in"));
        } else {
            for (int i = 0; i < stageHistory.size(); i++) {
                StageAt s = stageHistory.get(i);
                if (s == null || s.at() == null || s.stage() == null || s.stage().isBlank()) {
                    v.add(new Problem.Violation("stageHistory[" + i + "]", "needs at and stage"));
                }
            }
        }
        if (amountHistory == null || amountHistory.isEmpty()) {
            v.add(new Problem.Violation("amountHistory", "at least one amount"));
        } else {
            for (int i = 0; i < amountHistory.size(); i++) {
                AmountAt a = amountHistory.get(i);
                String f = "amountHistory[" + i + "]";
                if (a == null || a.at() == null || a.amount() == null) {
                    v.add(new Problem.Violation(f, "needs at, amount and currency"));
                    continue;
                }
                if (a.amount().signum() < 0) {
                    v.add(new Problem.Violation(f + ".amount", "must not be negative"));
                }
                if (!Money.isKnownCurrency(a.currency())) {
                    v.add(new Problem.Violation(f + ".currency", "unknown currency " + a.currency()
                            + " (ISO 4217 code expected)"));
                } else if (a.amount().signum() >= 0) {
                    try {
                        Money.toMinor(a.amount(), a.currency(), true);
                    } catch (ArithmeticException e) {
                        v.add(new Problem.Violation(f + ".amount", "more decimals than " + a.currency() + " has"));
                    }
                }
            }
        }
        if (contacts != null) {
            long primaries = contacts.stream().filter(c -> c != null && Boolean.TRUE.equals(c.primary())).count();
            for (int i = 0; i < contacts.size(); i++) {
                if (contacts.get(i) == null || contacts.get(i).leadId() == null) {
                    v.add(new Problem.Violation("contacts[" + i + "].leadId", "required"));
                }
            }
            if (primaries > 1) {
                v.add(new Problem.Violation("contacts", "at most one primary contact"));
            }
        }
        return v;
    }
}
