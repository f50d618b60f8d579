package com.revops.gateway.crm.salesforce;

import java.io.IOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Connects the gateway under test to the documented Salesforce fake (client credentials) for the whole test run, so
 * that what needs Salesforce's API (campaign names of campaign members, Salesforce commands) runs against it.
 */
public class SalesforceFakeResource implements QuarkusTestResourceLifecycleManager {

    private static volatile SalesforceFake fake;

    @Override
    public Map<String, String> start() {
        try {
            fake = new SalesforceFake(null);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return Map.of("gateway.salesforce.login-url", fake.loginUrl(),
                "gateway.salesforce.client-id", SalesforceFake.CLIENT_ID,
                "gateway.salesforce.client-secret", SalesforceFake.CLIENT_SECRET);
    }

    @Override
    public void stop() {
        try {
            fake.close();
        } catch (IOException ignored) {
            // test run is over
        }
    }

    /** Puts a record straight into the fake org (e.g. a Campaign) and returns its 18-character id. */
    public static String insert(String type, Map<String, Object> fields) {
        return fake.insert(type, fields);
    }

    /** A record of the fake org, as the gateway's writes left it (null when there is none). */
    public static Map<String, Object> record(String type, String id) {
        return fake.record(type, id);
    }

    /** Deletes a record of the fake org at the given time (listed by /sobjects/{type}/deleted). */
    public static void delete(String type, String id, java.time.Instant at) {
        fake.delete(type, id, at);
    }

    /** Whether the fake org handed out this access token and has not revoked it. */
    public static boolean validToken(String token) {
        return fake.validToken(token);
    }

    /** Revokes every token handed out so far (a session timeout). */
    public static void expireSessions() {
        fake.expireSessions();
    }

    /** The REST requests the fake org answered so far. */
    public static java.util.List<okhttp3.mockwebserver.RecordedRequest> apiRequests() {
        return fake.apiRequests();
    }

    /** Sets the org's API usage as Sforce-Limit-Info reports it. */
    public static void usage(long used, long max) {
        fake.usage(used, max);
    }

    /** API calls counted by the fake org so far. */
    public static long used() {
        return fake.used();
    }

    /** How many records of a type have a value in {@code field}. */
    public static long count(String type, String field) {
        return fake.count(type, field);
    }

    /** Rows per query page (Salesforce's default is 2,000). */
    public static void pageSize(int size) {
        fake.pageSize(size);
    }

    /** The record queries run so far (COUNT() left out). */
    public static java.util.List<String> queries() {
        return fake.queries();
    }

    /** Applies the resource to every test of the module. */
    @QuarkusTestResource(value = SalesforceFakeResource.class, restrictToAnnotatedClass = false)
    public static class Everywhere {
    }
}
