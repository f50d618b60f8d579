package com.revops.attribution.definitions;

import java.time.Instant;
import java.util.UUID;

/**
 * A versioned definition and its sign-off state. Version 0 is the built-in default (never signed), used only
 * until a definition has been approved by both sides.
 */
public record Definition(UUID id, int version, String status, DefinitionBody body, String draftedBy,
        Instant draftedAt, String salesApprovedBy, Instant salesApprovedAt, String marketingApprovedBy,
        Instant marketingApprovedAt, Instant activatedAt) {

    public static final Definition BUILT_IN = new Definition(null, 0, "BUILT_IN_UNSIGNED", DefinitionBody.BUILT_IN,
            "system", null, null, null, null, null, null);

    /** How an answer names the definition it was computed with. */
    public record Ref(int version, String status, Instant activatedAt) {
    }

    public Ref ref() {
        return new Ref(version, status, activatedAt);
    }
}
