package com.revops.platform.health;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.revops.platform.broker.BrokerConnection;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;

/**
 * Ready only when the publishing connection to RabbitMQ can be opened. (Database readiness comes from the reactive
 * datasource's own check; the consuming channels report through SmallRye Reactive Messaging's checks.)
 */
@Readiness
@ApplicationScoped
public class BrokerPublisherReadiness implements AsyncHealthCheck {

    private final BrokerConnection broker;

    public BrokerPublisherReadiness(BrokerConnection broker) {
        this.broker = broker;
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return broker.connected()
                .map(c -> HealthCheckResponse.up("rabbitmq-publisher"))
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("rabbitmq-publisher").down()
                        .withData("error", String.valueOf(e.getMessage())).build());
    }
}
