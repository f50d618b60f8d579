package com.revops.routing.engine;

import java.util.List;
import java.util.Objects;

/**
 * A team and its round-robin state. Each member carries a {@code pass}: the virtual time at which they are next
 * due. The team's {@code virtualTime} is the pass of the last member chosen.
 */
public record Team(String id, String name, double virtualTime, List<Member> members) {

    /** A rep's membership: weight (share of leads) and round-robin pass. */
    public record Member(String username, int weight, double pass) {
        public Member {
            if (weight <= 0) {
                throw new IllegalArgumentException("weight of " + username + " must be positive");
            }
        }
    }

    public Team {
        Objects.requireNonNull(name, "name");
        members = List.copyOf(members);
    }
}
