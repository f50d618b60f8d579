package com.revops.gateway.webhooks;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

/**
 * {@code /q/health/group/webhooks}: DOWN only when the split of stored HubSpot deliveries is stuck (deliveries wait
 * and none has been split for two minutes), not merely behind: a burst's backlog that shrinks is UP. Kept out of
 * readiness on purpose: deliveries are still stored and acknowledged while the split is stuck, and taking the replica
 * out of service would make HubSpot's deliveries fail instead.
 */
@HealthGroup("webhooks")
@ApplicationScoped
public class SplitHealth implements HealthCheck {

    static final long STUCK_AFTER_MILLIS = 120_000;

    private final DeliverySplitter splitter;

    public SplitHealth(DeliverySplitter splitter) {
        this.splitter = splitter;
    }

    @Override
    public HealthCheckResponse call() {
        DeliverySplitter.Progress p = splitter.progress();
        return HealthCheckResponse.named("webhook-split")
                .status(!p.stuck(System.currentTimeMillis(), STUCK_AFTER_MILLIS))
                .withData("unsplitDeliveries", p.backlog())
                .withData("lastProgress", Instant.ofEpochMilli(p.lastProgressMillis()).toString())
                .withData("consecutiveFailedRounds", p.consecutiveFailures())
                .build();
    }
}
