package com.revops.gateway.normalise;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which CRM owners are SDRs and which are AEs, so that sales touches can be typed ({@code sdr-call},
 * {@code ae-meeting}). Configured as {@code crm:ownerId=role} pairs ({@code GATEWAY_OWNER_ROLES}), e.g.
 * {@code hubspot:101=sdr,hubspot:202=ae,salesforce:005000000000001=sdr}; an owner not listed has no known role.
 * Salesforce ids compare on their 15-character case-sensitive form, so 15- and 18-character ids both match. Plain
 * Java.
 */
public final class OwnerRoles {

    public static final Set<String> ROLES = Set.of("sdr", "ae");

    private final Map<String, String> roles;

    private OwnerRoles(Map<String, String> roles) {
        this.roles = Map.copyOf(roles);
    }

    public static OwnerRoles none() {
        return new OwnerRoles(Map.of());
    }

    public static OwnerRoles parse(Optional<String> spec) {
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
        return new OwnerRoles(out);
    }

    /** sdr, ae, or null when unknown. */
    public String role(String crm, String ownerId) {
        return ownerId == null ? null : roles.get(key(crm, ownerId));
    }

    private static String key(String crm, String ownerId) {
        String id = "salesforce".equals(crm) && ownerId.length() == 18 ? ownerId.substring(0, 15) : ownerId;
        return crm + ":" + id;
    }
}
