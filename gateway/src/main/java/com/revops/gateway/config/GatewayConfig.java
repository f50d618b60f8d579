package com.revops.gateway.config;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Gateway settings; secrets come from the environment (see application.properties for the variable names). */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * The public base URL the CRMs call (scheme, host, port, no trailing slash), e.g. https://revops.example.com.
     * HubSpot signs the full URL it called, so behind a proxy this must be the outside address.
     */
    @WithDefault("http://localhost:8080")
    String publicUrl();

    HubSpot hubspot();

    Salesforce salesforce();

    Webhooks webhooks();

    interface HubSpot {
        /** The app's client secret, which signs webhooks. Without it every HubSpot webhook is refused. */
        Optional<String> clientSecret();

        /** Signature versions accepted; v1 and v2 only for apps that still use them. */
        @WithDefault("v3")
        Set<String> signatureVersions();

        /** Oldest acceptable X-HubSpot-Request-Timestamp. */
        @WithDefault("5m")
        Duration maxTimestampAge();
    }

    interface Salesforce {
        /** The org whose outbound messages we accept (15 or 18 characters). Without it every message is refused. */
        Optional<String> orgId();
    }

    interface Webhooks {
        /** Largest body accepted (HubSpot sends at most 100 events). */
        @WithDefault("1048576")
        int maxBodyBytes();

        @WithDefault("100")
        int maxEvents();
    }
}
