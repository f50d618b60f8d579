package com.revops.sandbox;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the simulator; every one can be set by environment variable, e.g. {@code SIM_SEED=7}. */
@ConfigMapping(prefix = "sim")
public interface SimConfig {

    /** Seed of the organisation: the same seed gives the same records and ids. */
    @WithDefault("42")
    long seed();

    /**
     * Records created after start-up (driven leads, activities, deals, the gateway's writes) get ids past any an
     * earlier run of the simulator handed out, so a gateway whose database outlived the simulator never takes a new
     * record for one it already knows. Off in the module's own tests, which check exact ids.
     */
    @WithDefault("true")
    boolean freshIds();

    /** Base URL under which the gateway reaches the simulator (Salesforce instance_url); default: as called. */
    Optional<String> publicUrl();

    /** The gateway's public base URL, where webhooks and outbound messages are delivered. */
    @WithDefault("http://localhost:8080")
    String gatewayUrl();

    /** When set, the driving and admin API under /_sim requires {@code Authorization: Bearer <token>}. */
    Optional<String> adminToken();

    Org org();

    HubSpot hubspot();

    Salesforce salesforce();

    Delivery delivery();

    /** Size of the seeded organisation. */
    interface Org {
        @WithDefault("10")
        int owners();

        @WithDefault("50")
        int companies();

        @WithDefault("200")
        int contacts();

        @WithDefault("150")
        int leads();

        @WithDefault("40")
        int deals();

        @WithDefault("30")
        int opportunities();

        /** Seeded records are spread over this many past days. */
        @WithDefault("90")
        int days();
    }

    /** The simulated HubSpot app and portal. */
    interface HubSpot {
        /** Signs webhooks (signature v3) and authenticates the OAuth refresh; the gateway's HUBSPOT_CLIENT_SECRET. */
        @WithDefault("sandbox-hubspot-client-secret")
        String clientSecret();

        /** The private-app token accepted as it is; the gateway's HUBSPOT_ACCESS_TOKEN. */
        @WithDefault("sandbox-hubspot-private-app-token")
        String accessToken();

        @WithDefault("sandbox-hubspot-client-id")
        String clientId();

        @WithDefault("sandbox-hubspot-refresh-token")
        String refreshToken();

        @WithDefault("30m")
        Duration tokenLifetime();

        @WithDefault("7700001")
        long portalId();

        @WithDefault("4242")
        long appId();

        /** Calls per rolling ten seconds (Pro/Enterprise private app: 190). */
        @WithDefault("190")
        int perTenSeconds();

        @WithDefault("650000")
        int perDay();

        @WithDefault("5")
        int searchPerSecond();

        /** The portal's time zone: the daily limit resets at its midnight. */
        @WithDefault("UTC")
        String timeZone();

        @WithDefault("/webhooks/hubspot")
        String webhookPath();

        /**
         * Whether the gateway's own API writes come back as webhooks (changeSource INTEGRATION, sourceId the app
         * id), as HubSpot sends them to an app subscribed to the properties it writes.
         */
        @WithDefault("true")
        boolean notifyApiWrites();

        /** The portal's custom contact properties. */
        @WithDefault("intent_tier,disqualification_reason,feedback_score_adjustment")
        List<String> contactProperties();

        /** The portal's custom deal properties. */
        @WithDefault("revops_sourced_channel,revops_attributed_channel,revops_attribution_model,"
                + "revops_definition_version")
        List<String> dealProperties();
    }

    /** The simulated Salesforce org. */
    interface Salesforce {
        /** 15-character organization id; outbound messages carry its 18-character form. */
        @WithDefault("00DSB0000001Sim")
        String orgId();

        @WithDefault("sandbox-salesforce-consumer-key")
        String clientId();

        @WithDefault("sandbox-salesforce-consumer-secret")
        String clientSecret();

        /** The integration user (client credentials run as it; a JWT's sub may name it or any active user). */
        @WithDefault("integration@sandbox.revops.example")
        String username();

        @WithDefault("v67.0")
        String apiVersion();

        /** Versions below this answer 410, as retired versions do. */
        @WithDefault("31")
        int minApiVersion();

        /** The rolling 24-hour API allocation. */
        @WithDefault("100000")
        long dailyApiLimit();

        @WithDefault("2h")
        Duration tokenLifetime();

        /** Default query page size (a Sforce-Query-Options batchSize of 200-2000 overrides it per request). */
        @WithDefault("2000")
        int queryPageSize();

        @WithDefault("Open - Not Contacted,Working - Contacted,Nurture,Unqualified,Disqualified,"
                + "Closed - Converted,Closed - Not Converted")
        List<String> leadStatuses();

        @WithDefault("/webhooks/salesforce/outbound")
        String outboundPath();

        /**
         * Whether the org's outbound-message rules also fire on the gateway's own API writes (rules on "created, and
         * every time it's edited" do; the record's LastModifiedById is then the integration user).
         */
        @WithDefault("true")
        boolean notifyApiWrites();
    }

    /** How changes reach the gateway. */
    interface Delivery {
        @WithDefault("true")
        boolean enabled();

        @WithDefault("200ms")
        Duration interval();

        @WithDefault("100")
        int maxBatch();

        /** HubSpot tries a delivery up to 10 times. */
        @WithDefault("10")
        int maxAttempts();

        /** Back-off before the first retry, doubled per attempt (compressed from the CRMs' hours). */
        @WithDefault("1s")
        Duration backoff();

        @WithDefault("60s")
        Duration maxBackoff();

        /** HubSpot counts an answer slower than 5 s as a failure. */
        @WithDefault("5s")
        Duration timeout();

        @WithDefault("4")
        int concurrency();

        /** Share of delivered batches sent again, as the CRMs' at-least-once delivery may. */
        @WithDefault("0")
        int duplicatePercent();
    }
}
