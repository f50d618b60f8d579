package com.revops.gateway.cdc;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.smallrye.health.api.HealthGroup;

/**
 * {@code /q/health/group/cdc}: DOWN when a subscription of this replica has failed three times in a row (it keeps
 * retrying). Kept out of readiness on purpose: webhooks and commands work without CDC, so a Pub/Sub outage must not
 * take the replica out of service.
 */
@HealthGroup("cdc")
@ApplicationScoped
public class CdcHealth implements HealthCheck {

    static final int FAILURES_DOWN = 3;

    private final CdcService service;

    public CdcHealth(CdcService service) {
        this.service = service;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder b = HealthCheckResponse.named("salesforce-cdc").up()
                .withData("enabled", service.enabled());
        for (CdcSubscriber.Snapshot s : service.snapshots()) {
            b.withData(s.topic(), s.state() + (s.lastError() == null ? "" : " " + s.lastError()));
            if (s.consecutiveFailures() >= FAILURES_DOWN) {
                b.down();
            }
        }
        return b.build();
    }
}
