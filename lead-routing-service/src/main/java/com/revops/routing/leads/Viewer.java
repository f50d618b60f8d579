package com.revops.routing.leads;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;

import com.revops.platform.security.Roles;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is asking and what they may see: an admin everything, a sales manager the teams of the token's {@code teams}
 * claim (Keycloak group names), an SDR only their own leads.
 */
public record Viewer(String username, boolean admin, boolean manager, Set<String> teams) {

    public static Viewer of(SecurityIdentity identity) {
        Set<String> teams = new LinkedHashSet<>();
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim("teams");
            if (claim instanceof jakarta.json.JsonArray array) {
                array.forEach(v -> add(teams, v instanceof jakarta.json.JsonString s ? s.getString() : v.toString()));
            } else if (claim instanceof Collection<?> c) {
                c.forEach(v -> add(teams, String.valueOf(v)));
            } else if (claim != null) {
                add(teams, claim.toString());
            }
        }
        return new Viewer(identity.getPrincipal().getName(), identity.hasRole(Roles.REVOPS_ADMIN),
                identity.hasRole(Roles.SALES_MANAGER), teams);
    }

    private static void add(Set<String> out, String raw) {
        String t = raw.replace("\"", "").trim();
        int slash = t.lastIndexOf('/');
        t = slash >= 0 ? t.substring(slash + 1) : t;
        if (!t.isEmpty()) {
            out.add(t);
        }
    }

    /** Only an SDR: sees their own leads and nothing else. */
    public boolean sdrOnly() {
        return !admin && !manager;
    }
}
