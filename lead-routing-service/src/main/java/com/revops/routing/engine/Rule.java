package com.revops.routing.engine;

import java.util.Objects;

/** One ordered rule of a rule set: when the condition holds, the action is tried. */
public record Rule(String name, Condition when, Action then) {
    public Rule {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(when, "when");
        Objects.requireNonNull(then, "then");
    }
}
