package com.revops.routing.engine;

import java.util.List;
import java.util.Objects;

/**
 * An ordered list of rules. Before the rules, when enabled, an open duplicate of the lead goes to its current
 * owner and a lead whose email domain belongs to a known account goes to the account owner. A lead no rule places
 * goes to the fallback queue.
 */
public record RuleSet(int version, List<Rule> rules, String fallbackQueue, boolean routeDuplicatesToOwner,
        boolean matchAccounts) {
    public RuleSet {
        rules = List.copyOf(rules);
        Objects.requireNonNull(fallbackQueue, "fallbackQueue");
    }
}
