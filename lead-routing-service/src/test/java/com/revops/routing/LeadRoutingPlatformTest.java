package com.revops.routing;

import java.util.List;

import com.revops.platform.testing.PlatformContractTest;

import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class LeadRoutingPlatformTest extends PlatformContractTest {

    @Override
    protected List<String> expectedMigrations() {
        return List.of("0.1", "1", "2", "3", "4", "5", "6");
    }
}
