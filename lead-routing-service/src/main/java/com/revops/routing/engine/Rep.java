package com.revops.routing.engine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What the router knows about a rep at decision time.
 *
 * @param capacity maximum open untouched leads, null for no cap
 * @param openLeads open untouched leads the rep holds now
 */
public record Rep(String username, boolean active, WorkingHours hours, List<Absence> outOfOffice, Set<String> skills,
        Integer capacity, int openLeads) {

    /** An out-of-office window, {@code [from, to)}. */
    public record Absence(Instant from, Instant to) {
        public boolean covers(Instant at) {
            return !at.isBefore(from) && at.isBefore(to);
        }
    }

    public Rep {
        Objects.requireNonNull(username, "username");
        hours = hours == null ? WorkingHours.ALWAYS : hours;
        outOfOffice = outOfOffice == null ? List.of() : List.copyOf(outOfOffice);
        skills = skills == null ? Set.of() : Set.copyOf(skills);
    }

    public boolean isOutOfOffice(Instant at) {
        return outOfOffice.stream().anyMatch(a -> a.covers(at));
    }

    public boolean atCapacity() {
        return capacity != null && openLeads >= capacity;
    }

    public Rep withOpenLeads(int open) {
        return new Rep(username, active, hours, outOfOffice, skills, capacity, open);
    }
}
