package com.revops.sandbox;

import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.sandbox.core.Deliveries;
import com.revops.sandbox.core.HttpTransport;
import com.revops.sandbox.core.HubSpotRateLimits;
import com.revops.sandbox.core.HubSpotStore;
import com.revops.sandbox.core.QueryCursors;
import com.revops.sandbox.core.SalesforceAllocation;
import com.revops.sandbox.core.SalesforceIds;
import com.revops.sandbox.core.SalesforceStore;
import com.revops.sandbox.core.Sandbox;
import com.revops.sandbox.core.Seeder;
import com.revops.sandbox.core.Stats;
import com.revops.sandbox.core.WebhookSigner;
import com.revops.sandbox.core.WriteJournal;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;

/**
 * Holds the one {@link Sandbox} of this process: seeds it from the configuration at start-up and drives its
 * deliveries to the gateway on a timer thread.
 */
@Startup
@ApplicationScoped
public class Simulator {

    private final SimConfig config;
    private final ObjectMapper mapper;
    private final String publicUrl;
    private volatile Sandbox sandbox;
    private final ScheduledExecutorService timer;

    public Simulator(SimConfig config, ObjectMapper mapper, @ConfigProperty(name = "quarkus.http.port") int port) {
        this.config = config;
        this.mapper = mapper;
        this.publicUrl = config.publicUrl().orElse("http://localhost:" + port);
        this.sandbox = build(config.seed());
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sim-deliveries");
            t.setDaemon(true);
            return t;
        });
        SimConfig.Delivery d = config.delivery();
        if (d.enabled()) {
            long every = Math.max(10, d.interval().toMillis());
            timer.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Replaces the organisation with a freshly seeded one: records, journal, counters, tokens, faults and pending
     * deliveries of the old one are gone.
     */
    public Sandbox reset(long seed) {
        Sandbox fresh = build(seed);
        this.sandbox = fresh;
        return fresh;
    }

    private Sandbox build(long seed) {
        SimConfig.HubSpot hs = config.hubspot();
        SimConfig.Salesforce sf = config.salesforce();
        SimConfig.Org o = config.org();
        SimConfig.Delivery d = config.delivery();
        long now = System.currentTimeMillis();
        HubSpotStore hubspot = new HubSpotStore(Map.of("contacts", hs.contactProperties(), "deals",
                hs.dealProperties()));
        SalesforceStore salesforce = new SalesforceStore(new SalesforceIds("Sb"), sf.apiVersion(), sf.leadStatuses());
        Seeder.Org org = Seeder.seed(seed, new Seeder.Sizes(o.owners(), o.companies(), o.contacts(), o.leads(),
                o.deals(), o.opportunities(), o.days()), hubspot, salesforce, sf.username(), now);
        if (config.freshIds()) {
            // ten thousand ids per second of wall time since the epoch (modulo about four months): a restarted
            // simulator starts past every id an earlier run could have created, even with the same seed
            long offset = (now / 1000 % 10_000_000L) * 10_000L;
            hubspot.advanceIds(offset);
            salesforce.advanceIds(offset);
        }
        Stats stats = new Stats();
        String gateway = stripSlash(config.gatewayUrl());
        Deliveries deliveries = new Deliveries(new Deliveries.Settings(gateway + hs.webhookPath(),
                gateway + sf.outboundPath(), d.maxBatch(), d.maxAttempts(), d.backoff().toMillis(),
                d.maxBackoff().toMillis(), d.timeout().toMillis(), d.concurrency(), d.duplicatePercent(), seed),
                new WebhookSigner(hs.clientSecret()), orgId(), publicUrl, sf.apiVersion(), new HttpTransport(),
                System::currentTimeMillis, mapper, stats);
        Sandbox built = new Sandbox(new Sandbox.Identity(hs.portalId(), hs.appId(), orgId(), sf.apiVersion(),
                publicUrl), hubspot, salesforce, new HubSpotRateLimits(hs.perTenSeconds(), hs.perDay(),
                        hs.searchPerSecond(), ZoneId.of(hs.timeZone())),
                new SalesforceAllocation(sf.dailyApiLimit()), new WriteJournal(200_000), stats, deliveries,
                new QueryCursors(sf.apiVersion(), 50), org, System::currentTimeMillis);
        if (config.freshIds()) {
            built.advanceNotificationIds((now / 1000 % 10_000_000L) * 10_000L);
        }
        Log.infof("CRM simulator seeded (seed %d): %d HubSpot contacts, %d companies, %d deals, %d owners; "
                + "%d Salesforce leads, %d contacts, %d opportunities; deliveries to %s", seed,
                hubspot.count("contacts"), hubspot.count("companies"), hubspot.count("deals"),
                hubspot.owners().size(), salesforce.count("Lead"), salesforce.count("Contact"),
                salesforce.count("Opportunity"), d.enabled() ? gateway : "nowhere (disabled)");
        return built;
    }

    private void tick() {
        try {
            sandbox.deliveries().tick();
        } catch (RuntimeException e) {
            Log.warnf("delivery round failed: %s", e.toString());
        }
    }

    public Sandbox sandbox() {
        return sandbox;
    }

    public SimConfig config() {
        return config;
    }

    /** The 18-character organization id. */
    public String orgId() {
        return SalesforceIds.to18(config.salesforce().orgId());
    }

    /** Whether {@code token} is the private-app token of the simulated HubSpot app. */
    public boolean privateAppToken(String token) {
        return config.hubspot().accessToken().equals(token);
    }

    /** The configured custom properties, for the README and /_sim/org. */
    public List<String> customContactProperties() {
        return config.hubspot().contactProperties();
    }

    @PreDestroy
    void stop() {
        timer.shutdownNow();
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
