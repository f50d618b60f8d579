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

    Normaliser normaliser();

    Mapping mapping();

    Touchpoints touchpoints();

    Sync sync();

    Commands commands();

    WakeUps wakeUps();

    Cdc cdc();

    /** Salesforce Change Data Capture over the Pub/Sub API (gRPC); off unless enabled. */
    interface Cdc {
        /** Subscribe at all (one replica holds the subscription at a time, through a lease row). */
        @WithDefault("false")
        boolean enabled();

        /** host:port of the Pub/Sub API. */
        @WithDefault("api.pubsub.salesforce.com:7443")
        String pubsubUrl();

        /** Plaintext HTTP/2 instead of TLS: only for a local fake. */
        @WithDefault("false")
        boolean plaintext();

        /** The channels to subscribe to, e.g. /data/LeadChangeEvent,/data/ContactChangeEvent or /data/ChangeEvents. */
        @WithDefault("/data/LeadChangeEvent,/data/ContactChangeEvent")
        java.util.List<String> topics();

        /** Events requested per FetchRequest; more are requested once they are stored. */
        @WithDefault("100")
        int batchSize();

        /** Where to start when a stored replay id is refused (corrupted or older than the retention): EARLIEST or LATEST. */
        @WithDefault("EARLIEST")
        String fallbackPreset();

        /** Where to start when no replay id is stored yet: EARLIEST or LATEST. */
        @WithDefault("LATEST")
        String initialPreset();

        /** First reconnect delay; doubled per failed attempt up to {@link #maxBackoff()}. */
        @WithDefault("1s")
        Duration initialBackoff();

        @WithDefault("60s")
        Duration maxBackoff();

        /** How long a replica's hold on the subscription lasts without renewal. */
        @WithDefault("30s")
        Duration lease();
    }

    /** Command execution (also read by {@code CommandExecutor} through its injected settings). */
    interface Commands {
        /** The safety-net poll; new commands wake the executor at once (LISTEN/NOTIFY). */
        @WithDefault("1s")
        Duration pollInterval();

        @WithDefault("50")
        int batchSize();

        @WithDefault("8")
        int concurrency();

        @WithDefault("10")
        int maxAttempts();

        @WithDefault("2s")
        Duration initialBackoff();

        /**
         * The share of HubSpot's ten-second budget the executor's rounds pace themselves to once half of the budget
         * is in use ({@code BudgetPacer}).
         */
        @WithDefault("0.4")
        double hubspotShare();
    }

    /** PostgreSQL LISTEN/NOTIFY wake-ups of the normaliser and the command executor. */
    interface WakeUps {
        /** Off: the workers find new rows on their polls only. */
        @WithDefault("true")
        boolean listenNotify();
    }

    /** Backfill and incremental sync runs. */
    interface Sync {
        /** How often a replica looks for a due run (read by the scheduler). */
        @WithDefault("2s")
        java.time.Duration pollInterval();

        /**
         * How long a Salesforce run paused at the quota ceiling waits before it reads the org's usage again and, if
         * there is room, goes on from its cursor.
         */
        @WithDefault("15m")
        java.time.Duration salesforceQuotaPause();
    }

    /** How sales touches are typed. */
    interface Touchpoints {
        /**
         * CRM owners' roles as {@code crm:ownerId=role} pairs (role sdr or ae), e.g.
         * {@code hubspot:101=sdr,salesforce:005000000000001=ae}: an SDR's outbound call becomes {@code sdr-call}.
         */
        Optional<String> ownerRoles();

        /**
         * HubSpot teams' roles as {@code teamId=role} pairs, e.g. {@code 9001=sdr,9002=ae}: an owner not listed in
         * {@link #ownerRoles()} takes the role of its team (read from HubSpot's owners API, cached).
         */
        Optional<String> hubspotTeamRoles();

        /** How long the owners' teams read from HubSpot are trusted. */
        @WithDefault("10m")
        Duration ownerTeamsTtl();
    }

    interface HubSpot {
        /** The app's client secret, which signs webhooks (and, with a refresh token, refreshes OAuth tokens). */
        Optional<String> clientSecret();

        /** API base URL; the CRM simulator's in development and tests. */
        @WithDefault("https://api.hubapi.com")
        String baseUrl();

        /** A private app's access token. Either this or the OAuth settings. */
        Optional<String> accessToken();

        /** OAuth app: client id and refresh token (the client secret is {@link #clientSecret()}). */
        Optional<String> oauthClientId();

        Optional<String> oauthRefreshToken();

        /** FREE_STARTER, PROFESSIONAL_ENTERPRISE, API_LIMIT_INCREASE or PUBLIC_OAUTH_APP. */
        @WithDefault("PROFESSIONAL_ENTERPRISE")
        String tier();

        /** Share of HubSpot's budgets we use, leaving the rest to the portal's other integrations. */
        @WithDefault("0.8")
        double headroom();

        @WithDefault("5")
        int searchPerSecond();

        /** The portal's time zone, in which the daily budget resets. */
        @WithDefault("UTC")
        String portalTimeZone();

        /** Our app id: property changes made by our own app are echoes of our writes and are not republished. */
        Optional<String> appId();

        /**
         * The portal's own call outcomes as {@code guid=outcome} pairs, over HubSpot's six defaults
         * (hs_call_disposition holds the outcome option's GUID), e.g. {@code 2f5d...=connected}.
         */
        Optional<String> callOutcomes();

        @WithDefault("10s")
        Duration timeout();

        @WithDefault("4")
        int maxAttempts();

        /** Whether API credentials are configured; without them nothing calls HubSpot (events wait, kept). */
        default boolean connected() {
            return accessToken().isPresent()
                    || oauthClientId().isPresent() && oauthRefreshToken().isPresent() && clientSecret().isPresent();
        }

        /** Signature versions accepted; v1 and v2 only for apps that still use them. */
        @WithDefault("v3")
        Set<String> signatureVersions();

        /** Oldest acceptable X-HubSpot-Request-Timestamp. */
        @WithDefault("5m")
        Duration maxTimestampAge();
    }

    interface Normaliser {
        /** The safety-net poll; stored webhook events wake the normaliser at once (LISTEN/NOTIFY). */
        @WithDefault("1s")
        Duration pollInterval();

        /** Webhook events enriched per round. */
        @WithDefault("500")
        int batchSize();

        /** First retry delay of an event whose enrichment failed; doubles per attempt up to 10 minutes. */
        @WithDefault("2s")
        Duration initialBackoff();

        /** Attempts before an event is given up as FAILED (kept, visible, replayable). */
        @WithDefault("12")
        int maxAttempts();

        /**
         * The share of HubSpot's ten-second budget the normaliser's batch reads pace themselves to once half of the
         * budget is in use ({@code BudgetPacer}); commands have theirs, sync runs and searches the rest.
         */
        @WithDefault("0.5")
        double hubspotShare();
    }

    /**
     * CRM field names for canonical lead fields, overriding {@code FieldMapping}'s defaults, as
     * {@code field=property} pairs separated by commas, e.g. {@code disqualificationReason=dq_reason__c}.
     */
    interface Mapping {
        Optional<String> hubspot();

        Optional<String> salesforce();

        /**
         * Lead source values of a custom HubSpot source property and their category, {@code value=CATEGORY} pairs
         * ({@code FieldMapping.SOURCES}).
         */
        Optional<String> hubspotSourceValues();

        /** Salesforce LeadSource values and their category, over {@code FieldMapping}'s defaults. */
        Optional<String> salesforceSourceValues();

        /** The configured mapping of {@code crm} (hubspot or salesforce). */
        default com.revops.gateway.normalise.FieldMapping of(String crm) {
            return "salesforce".equals(crm)
                    ? com.revops.gateway.normalise.FieldMapping.of(crm, salesforce(), salesforceSourceValues())
                    : com.revops.gateway.normalise.FieldMapping.of(crm, hubspot(), hubspotSourceValues());
        }
    }

    interface Salesforce {
        /** The org whose outbound messages we accept (15 or 18 characters). Without it every message is refused. */
        Optional<String> orgId();

        /** https://login.salesforce.com, https://test.salesforce.com or the org's My Domain URL. */
        @WithDefault("https://login.salesforce.com")
        String loginUrl();

        /** The connected app's consumer key; without it nothing calls Salesforce. */
        Optional<String> clientId();

        /** Client-credentials flow: the consumer secret. */
        Optional<String> clientSecret();

        /** JWT bearer flow: the integration user and the PKCS#8 PEM private key of the connected app. */
        Optional<String> username();

        Optional<String> privateKey();

        @WithDefault("v67.0")
        String apiVersion();

        /** Share of the org's rolling 24 h API allocation we may use before stopping until it frees up. */
        @WithDefault("0.8")
        double quotaCeiling();

        /**
         * The integration user our writes run as (15 or 18 characters): activities it modified last are echoes of
         * our own commands (e.g. {@code task.create}) and are not announced, as HubSpot changes by our app are not.
         */
        Optional<String> integrationUserId();

        /**
         * Our client name, sent as {@code Sforce-Call-Options: client=<name>} on every REST call: Change Data Capture
         * events of our own writes carry it in {@code changeOrigin} and are treated as echoes.
         */
        @WithDefault("revops-gateway")
        String clientName();

        default boolean connected() {
            return clientId().isPresent() && (clientSecret().isPresent()
                    || username().isPresent() && privateKey().isPresent());
        }
    }

    interface Webhooks {
        /** Largest body accepted (HubSpot sends at most 100 events). */
        @WithDefault("1048576")
        int maxBodyBytes();

        @WithDefault("100")
        int maxEvents();

        /**
         * Most HubSpot deliveries stored by one INSERT (group commit: deliveries that arrive while earlier ones are
         * being written go together). 1 turns grouping off.
         */
        @WithDefault("64")
        int groupCommitMaxBatch();

        /** Most delivery INSERTs in flight at once; further deliveries wait for the next (grouped) one. */
        @WithDefault("4")
        int groupCommitMaxInFlight();

        /** Most deliveries split into their events by one transaction of the splitter. */
        @WithDefault("50")
        int splitBatchSize();

        /** The splitter's safety-net poll; it is woken after every stored delivery. */
        @WithDefault("1s")
        Duration splitPollInterval();
    }
}
