package com.revops.sandbox.web;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.revops.sandbox.Simulator;

/** Ready once the organisation is seeded; reports what deliveries are still pending. */
@Readiness
public class SimulatorHealth implements HealthCheck {

    private final Simulator simulator;

    public SimulatorHealth(Simulator simulator) {
        this.simulator = simulator;
    }

    @Override
    public HealthCheckResponse call() {
        var s = simulator.sandbox();
        return HealthCheckResponse.named("crm-simulator").up()
                .withData("seed", s.org().seed())
                .withData("hubspotContacts", s.hubspot().count("contacts"))
                .withData("salesforceLeads", s.salesforce().count("Lead"))
                .withData("pendingDeliveries", s.deliveries().pending())
                .withData("gateway", simulator.config().gatewayUrl())
                .build();
    }
}
