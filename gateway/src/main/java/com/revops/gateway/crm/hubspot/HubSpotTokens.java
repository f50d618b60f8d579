package com.revops.gateway.crm.hubspot;

import io.smallrye.mutiny.Uni;

/** Where the bearer token of HubSpot calls comes from: a private-app token, or OAuth with refresh. */
public interface HubSpotTokens {

    Uni<String> token();

    /** The token was refused (401): forget it, so that the next {@link #token()} gets a fresh one. */
    void invalidate();

    /** A private app's token: it never changes. */
    static HubSpotTokens privateApp(String token) {
        return new HubSpotTokens() {
            @Override
            public Uni<String> token() {
                return Uni.createFrom().item(token);
            }

            @Override
            public void invalidate() {
                // nothing to refresh
            }
        };
    }
}
