package com.revops.routing.engine;

import java.util.Objects;
import java.util.Set;

/** What a matching rule does with the lead. */
public sealed interface Action {

    String describe();

    /** How a team picks one of its eligible members. */
    enum Strategy {
        /** Each member gets leads in proportion to their weight, fairly over time (stride scheduling). */
        WEIGHTED_ROUND_ROBIN,
        /** The member with the fewest open untouched leads relative to their weight; round robin breaks ties. */
        LEAST_LOADED
    }

    /**
     * Assign to a member of a team. {@code requiredSkills} (e.g. {@code lang:de}, {@code region:emea}) filter the
     * members; {@code respectWorkingHours} false lets a team cover out of hours (for example a follow-the-sun pool).
     */
    record AssignTeam(String team, Strategy strategy, Set<String> requiredSkills, boolean respectWorkingHours)
            implements Action {
        public AssignTeam {
            Objects.requireNonNull(team, "team");
            strategy = strategy == null ? Strategy.WEIGHTED_ROUND_ROBIN : strategy;
            requiredSkills = requiredSkills == null ? Set.of() : Set.copyOf(requiredSkills);
        }

        @Override
        public String describe() {
            return "assign to team " + team + " (" + strategy + (requiredSkills.isEmpty() ? "" : ", skills "
                    + requiredSkills) + ")";
        }
    }

    /** Assign to the owner of the account whose domain matches the lead's email; falls through when none. */
    record AssignAccountOwner() implements Action {
        @Override
        public String describe() {
            return "assign to the account owner";
        }
    }

    /** Assign to one named rep; falls through when that rep is not eligible. */
    record AssignRep(String username) implements Action {
        public AssignRep {
            Objects.requireNonNull(username, "username");
        }

        @Override
        public String describe() {
            return "assign to rep " + username;
        }
    }

    /** Park the lead in a named queue that people triage by hand. */
    record Queue(String name) implements Action {
        public Queue {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String describe() {
            return "send to queue " + name;
        }
    }
}
