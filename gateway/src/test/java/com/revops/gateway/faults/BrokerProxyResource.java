package com.revops.gateway.faults;

import java.io.IOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** The gateway under test publishes through a proxy to the real RabbitMQ, so that tests can cut the broker off. */
public class BrokerProxyResource implements QuarkusTestResourceLifecycleManager {

    public static PausableTcpProxy PROXY;

    @Override
    public Map<String, String> start() {
        String port = System.getenv().getOrDefault("RABBITMQ_PORT", "5672");
        try {
            PROXY = new PausableTcpProxy(Integer.parseInt(port));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("revops.broker.port", Integer.toString(PROXY.port()));
    }

    @Override
    public void stop() {
        try {
            PROXY.close();
        } catch (IOException ignored) {
            // test run is over
        }
    }

    /** Applies the resource to every test of the module. */
    @QuarkusTestResource(value = BrokerProxyResource.class, restrictToAnnotatedClass = false)
    public static class Everywhere {
    }
}
