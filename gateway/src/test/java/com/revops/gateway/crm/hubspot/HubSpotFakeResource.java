package com.revops.gateway.crm.hubspot;

import java.io.IOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import okhttp3.mockwebserver.MockWebServer;

/** Points the gateway under test at the HubSpot fake for the whole test run. */
public class HubSpotFakeResource implements QuarkusTestResourceLifecycleManager {

    public static final HubSpotFake FAKE = new HubSpotFake();
    private MockWebServer server;

    @Override
    public Map<String, String> start() {
        server = new MockWebServer();
        server.setDispatcher(FAKE);
        try {
            server.start();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("gateway.hubspot.base-url", server.url("/").toString().replaceAll("/$", ""),
                "gateway.hubspot.access-token", "token-1");
    }

    @Override
    public void stop() {
        try {
            server.shutdown();
        } catch (IOException ignored) {
            // test run is over
        }
    }

    /** Applies the resource to every test of the module. */
    @QuarkusTestResource(value = HubSpotFakeResource.class, restrictToAnnotatedClass = false)
    public static class Everywhere {
    }
}
