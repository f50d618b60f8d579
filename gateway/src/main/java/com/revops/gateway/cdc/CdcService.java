package com.revops.gateway.cdc;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.avro.Schema;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revops.gateway.cdc.PubSubApi.ReplayPreset;
import com.revops.gateway.config.GatewayConfig;
import com.revops.gateway.crm.SalesforceClientProducer;
import com.revops.gateway.webhooks.WebhookStore;

import io.grpc.Channel;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Runs the Change Data Capture subscriptions of this replica when {@code gateway.cdc.enabled} is set and Salesforce
 * is connected: one {@link CdcSubscriber} per configured channel over one gRPC channel to the Pub/Sub API.
 */
@ApplicationScoped
public class CdcService {

    private final GatewayConfig config;
    private final CdcSubscriber.Context context;
    private final ScheduledExecutorService scheduler;
    private final List<CdcSubscriber> subscribers = new ArrayList<>();
    private ManagedChannel channel;

    public CdcService(GatewayConfig config, Pool pool, WebhookStore store, ObjectMapper mapper,
            MeterRegistry registry, SalesforceClientProducer.Connection salesforce, GapSyncs gaps) {
        this.config = config;
        GatewayConfig.Cdc cdc = config.cdc();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cdc-subscriber");
            t.setDaemon(true);
            return t;
        });
        String holder = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
        this.context = new CdcSubscriber.Context(pool, store, mapper, registry, salesforce::client,
                config.salesforce().orgId().orElse(null), config.salesforce().clientName(),
                config.salesforce().integrationUserId().orElse(null), scheduler, gaps,
                new ConcurrentHashMap<String, Schema>(), holder, cdc.batchSize(), preset(cdc.initialPreset()),
                preset(cdc.fallbackPreset()), cdc.initialBackoff(), cdc.maxBackoff(), cdc.lease());
    }

    void onStart(@Observes StartupEvent start) {
        GatewayConfig.Cdc cdc = config.cdc();
        if (!cdc.enabled()) {
            return;
        }
        if (!config.salesforce().connected() || config.salesforce().orgId().isEmpty()) {
            Log.warn("CDC is enabled but Salesforce is not connected or SALESFORCE_ORG_ID is not set: not subscribing");
            return;
        }
        NettyChannelBuilder builder = NettyChannelBuilder.forTarget(cdc.pubsubUrl())
                .keepAliveTime(60, TimeUnit.SECONDS)
                .maxInboundMessageSize(64 * 1024 * 1024);
        channel = (cdc.plaintext() ? builder.usePlaintext() : builder.useTransportSecurity()).build();
        for (String topic : cdc.topics()) {
            CdcSubscriber s = subscriber(channel, topic.trim());
            subscribers.add(s);
            s.start();
        }
        Log.infof("CDC: subscribing to %s at %s", cdc.topics(), cdc.pubsubUrl());
    }

    /** A subscriber of {@code topic} over {@code channel}, with this service's collaborators; not started. */
    public CdcSubscriber subscriber(Channel channel, String topic) {
        return new CdcSubscriber(topic, channel, context);
    }

    /** The subscriptions this replica runs (none when CDC is off). */
    public List<CdcSubscriber.Snapshot> snapshots() {
        return subscribers.stream().map(CdcSubscriber::snapshot).toList();
    }

    public boolean enabled() {
        return config.cdc().enabled();
    }

    @PreDestroy
    void shutdown() {
        // the leases are given back so another replica takes over at once; if that fails they lapse on their own
        for (CdcSubscriber s : subscribers) {
            s.stop().subscribe().with(x -> {
            }, e -> Log.debugf("CDC %s: lease not released: %s", s.topic(), e.getMessage()));
        }
        if (channel != null) {
            channel.shutdownNow();
        }
        scheduler.shutdownNow();
    }

    private static ReplayPreset preset(String name) {
        ReplayPreset p = ReplayPreset.valueOf(name.trim().toUpperCase(Locale.ROOT));
        if (p == ReplayPreset.CUSTOM) {
            throw new IllegalArgumentException("a fallback or initial preset is EARLIEST or LATEST, not CUSTOM");
        }
        return p;
    }
}
