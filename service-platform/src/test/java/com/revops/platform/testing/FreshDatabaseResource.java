package com.revops.platform.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Gives a test run its own, empty PostgreSQL database on the machine's real server, so every run proves that the
 * migrations build the schema from nothing and that Hibernate validates against it, whatever earlier runs left.
 * Databases of crashed runs older than two hours are dropped on the way.
 *
 * <p>Init arg {@code database}: the service's database base name, e.g. {@code lead_routing}.
 */
public class FreshDatabaseResource implements QuarkusTestResourceLifecycleManager {

    private String base;
    private String name;
    private String host;
    private String port;
    private String user;
    private String password;

    @Override
    public void init(Map<String, String> initArgs) {
        base = initArgs.getOrDefault("database", "service");
    }

    @Override
    public Map<String, String> start() {
        host = env("DB_HOST", "localhost");
        port = env("DB_PORT", "5432");
        user = env("DB_USER", "postgres");
        password = env("DB_PASSWORD", "");
        long now = System.currentTimeMillis() / 1000;
        name = base + "_test_" + now + "_" + ThreadLocalRandom.current().nextInt(1000, 9999);
        try (Connection c = admin(); Statement s = c.createStatement()) {
            dropStale(c, now);
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + host + ":" + port
                    + " (is PostgreSQL running? .ci/run starts it)", e);
        }
        return Map.of(
                "quarkus.datasource.reactive.url", "postgresql://" + host + ":" + port + "/" + name,
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://" + host + ":" + port + "/" + name,
                "test.database.name", name);
    }

    @Override
    public void stop() {
        try (Connection c = admin(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            // a leftover is dropped by the next run's stale sweep
        }
    }

    private void dropStale(Connection c, long now) throws SQLException {
        List<String> stale = new ArrayList<>();
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT datname FROM pg_database WHERE datname LIKE '" + base
                        + "\\_test\\_%'")) {
            while (rs.next()) {
                String db = rs.getString(1);
                String[] parts = db.substring(base.length() + "_test_".length()).split("_");
                try {
                    if (now - Long.parseLong(parts[0]) > 7200) {
                        stale.add(db);
                    }
                } catch (NumberFormatException ignored) {
                    // not ours
                }
            }
        }
        try (Statement s = c.createStatement()) {
            for (String db : stale) {
                s.execute("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
            }
        }
    }

    private Connection admin() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
    }

    private static String env(String key, String fallback) {
        String v = System.getenv(key);
        return v == null || v.isBlank() ? fallback : v;
    }
}
