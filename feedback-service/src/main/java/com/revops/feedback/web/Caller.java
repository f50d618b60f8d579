package com.revops.feedback.web;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.revops.platform.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is calling: the Keycloak username and, for sales managers, the teams of the token's {@code teams} claim
 * (Keycloak group names, with or without the leading {@code /} of a group path).
 */
public record Caller(String username, Set<String> roles, Set<String> teams) {

    public static Caller of(SecurityIdentity identity) {
        String username = identity.getPrincipal() == null ? "unknown" : identity.getPrincipal().getName();
        Set<String> teams = new LinkedHashSet<>();
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            String preferred = jwt.getClaim("preferred_username");
            if (preferred != null && !preferred.isBlank()) {
                username = preferred;
            }
            teams.addAll(teamsOf(jwt.getClaim("teams")));
        }
        return new Caller(username, Set.copyOf(identity.getRoles()), Set.copyOf(teams));
    }

    /** Reads the {@code teams} claim whatever JSON shape the token library hands back. */
    static Set<String> teamsOf(Object claim) {
        Set<String> out = new LinkedHashSet<>();
        if (claim == null) {
            return out;
        }
        if (claim instanceof jakarta.json.JsonArray array) {
            array.forEach(v -> add(out, v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()));
        } else if (claim instanceof Collection<?> values) {
            values.forEach(v -> add(out, String.valueOf(v)));
        } else {
            add(out, claim.toString());
        }
        return out;
    }

    private static void add(Set<String> out, String raw) {
        String t = raw.trim();
        if (t.startsWith("\"") && t.endsWith("\"") && t.length() >= 2) {
            t = t.substring(1, t.length() - 1);
        }
        while (t.startsWith("/")) {
            t = t.substring(1);
        }
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    public boolean isAdmin() {
        return roles.contains(Roles.REVOPS_ADMIN);
    }

    public boolean is(String role) {
        return roles.contains(role);
    }

    /** Marketing ops, admins and services see every team; a manager (without those roles) only their own. */
    public boolean seesAllTeams() {
        return isAdmin() || is(Roles.MARKETING_OPS) || is(Roles.SERVICE);
    }

    public boolean manages(String team) {
        return team != null && teams.contains(team);
    }
}
