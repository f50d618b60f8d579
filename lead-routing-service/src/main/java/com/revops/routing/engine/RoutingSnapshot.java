package com.revops.routing.engine;

/**
 * The part of the world a decision reads: reps, teams with their round-robin state, account owners and open
 * leads. The service builds one from the database inside the decision's transaction; tests and the simulator build
 * one in memory.
 */
public interface RoutingSnapshot {

    /** The rep, or null when unknown. */
    Rep rep(String username);

    /** The team by name, or null when unknown. */
    Team team(String name);

    /** The owner of the account that owns {@code domain}, or null. */
    String accountOwner(String domain);

    /** Another open lead of the same person (by email), or null. */
    OpenLead openDuplicate(LeadFacts lead);

    /** An open lead and its owner. */
    record OpenLead(java.util.UUID leadId, String owner) {
    }
}
