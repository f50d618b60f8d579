package com.revops.routing.engine;

/**
 * The router's answer. {@code assignee} is set when a rep was chosen, {@code queue} when the lead was parked in a
 * queue. {@code advance} is the round-robin state change the caller must persist with the decision.
 */
public record Decision(Reason reason, String assignee, String team, String queue, String rule,
        RoundRobinAdvance advance, Trace trace) {

    /** Why the lead went where it went. */
    public enum Reason {
        DUPLICATE, ACCOUNT_OWNER, RULE, FALLBACK
    }

    /** The new pass of the chosen member and the team's new virtual time. */
    public record RoundRobinAdvance(String team, String username, double memberPass, double teamVirtualTime) {
    }

    public boolean assigned() {
        return assignee != null;
    }
}
