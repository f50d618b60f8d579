package com.revops.gateway.normalise;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which CRM owners are SDRs and which are AEs, so that sales touches can be typed ({@code sdr-call},
 * {@code ae-meeting}). Configured as {@code crm:ownerId=role} pairs ({@code GATEWAY_OWNER_ROLES}), e.g.
 * {@code hubspot:101=sdr,hubspot:202=ae,salesforce:005000000000001=sdr}, and for HubSpot also by team
 * ({@code GATEWAY_HUBSPOT_TEAM_ROLES}, {@code teamId=role} pairs, the owner's teams as HubSpot's owners API lists
 * them). An owner listed by id wins over its teams; an owner in neither has no known role. Salesforce ids compare on
 * their 15-character case-sensitive form, so 15- and 18-character ids both match. Plain Java.
 */
public final class OwnerRoles {

    public static final Set<String> ROLES = Set.of("sdr", "ae");

    private final Map<String, String> roles;
    private final Map<String, String> teamRoles;

    private OwnerRoles(Map<String, String> roles, Map<String, String> teamRoles) {
        this.roles = Map.copyOf(roles);
        this.teamRoles = Map.copyOf(teamRoles);
    }

    public static OwnerRoles none() {
        return new OwnerRoles(Map.of(), Map.of());
    }

    public static OwnerRoles parse(Optional<String> spec) {
        return parse(spec, Optional.empty());
    }

    /** Roles by owner id ({@code crm:ownerId=role}) and by HubSpot team ({@code teamId=role}). */
    public static OwnerRoles parse(Optional<String> spec, Optional<String> hubspotTeams) {
        Map<String, String> teams = new LinkedHashMap<>();
        hubspotTeams.ifPresent(s -> {
            for (String pair : s.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank() || !ROLES.contains(kv[1].trim().toLowerCase())) {
                    throw new IllegalArgumentException("team roles must be teamId=sdr|ae pairs: " + pair);
                }
                teams.put(kv[0].trim(), kv[1].trim().toLowerCase());
            }
        });
        return new OwnerRoles(owners(spec), teams);
    }

    /** Whether roles depend on HubSpot teams, so that the owners' teams must be read. */
    public boolean usesHubSpotTeams() {
        return !teamRoles.isEmpty();
    }

    private static Map<String, String> owners(Optional<String> spec) {
        Map<String, String> out = new LinkedHashMap<>();
        spec.ifPresent(s -> {
            for (String pair : s.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                String[] owner = kv[0].split(":", 2);
                if (kv.length != 2 || owner.length != 2 || owner[0].isBlank() || owner[1].isBlank()) {
                    throw new IllegalArgumentException("owner roles must be crm:ownerId=role pairs: " + pair);
                }
                String crm = owner[0].trim().toLowerCase();
                String role = kv[1].trim().toLowerCase();
                if (!"hubspot".equals(crm) && !"salesforce".equals(crm)) {
                    throw new IllegalArgumentException("unknown crm in owner roles: " + owner[0]);
                }
                if (!ROLES.contains(role)) {
                    throw new IllegalArgumentException("owner role must be sdr or ae: " + kv[1]);
                }
                out.put(key(crm, owner[1].trim()), role);
            }
        });
        return out;
    }

    /** sdr, ae, or null when unknown. */
    public String role(String crm, String ownerId) {
        return role(crm, ownerId, List.of());
    }

    /**
     * sdr, ae, or null when unknown.
     *
     * @param teamIds the owner's HubSpot teams (the first one with a role decides)
     */
    public String role(String crm, String ownerId, List<String> teamIds) {
        if (ownerId == null) {
            return null;
        }
        String byId = roles.get(key(crm, ownerId));
        if (byId != null || !"hubspot".equals(crm) || teamIds == null) {
            return byId;
        }
        return teamIds.stream().map(teamRoles::get).filter(java.util.Objects::nonNull).findFirst().orElse(null);
    }

    private static String key(String crm, String ownerId) {
        String id = "salesforce".equals(crm) && ownerId.length() == 18 ? ownerId.substring(0, 15) : ownerId;
        return crm + ":" + id;
    }
}
