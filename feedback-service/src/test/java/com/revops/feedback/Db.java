package com.revops.feedback;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.eclipse.microprofile.config.ConfigProvider;

/** Direct access to the test run's own database, for fixtures and for checking that nothing was stored. */
public final class Db {

    private Db() {
    }

    public static Connection connect() throws SQLException {
        String url = ConfigProvider.getConfig().getValue("quarkus.datasource.jdbc.url", String.class);
        return DriverManager.getConnection(url, "postgres", "");
    }

    /** A lead as feedback would know it from the gateway and lead-routing. */
    public static void lead(UUID leadId, String crm, String crmId, String company, String source, String campaign,
            String owner, String team, Instant createdAt) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement("""
                INSERT INTO lead_context (lead_id, crm, crm_id, company, country, company_size, industry, source,
                  channel, campaign, intent_tier, crm_created_at, owner_username, owner_crm_id, team_name,
                  routing_rule, first_seen_at, updated_at)
                VALUES (?, ?, ?, ?, 'FR', '11-50', 'Retail', ?, 'web', ?, 'medium', ?, ?, '8001', ?, 'test-rule',
                  ?, now())""")) {
            s.setObject(1, leadId);
            s.setString(2, crm);
            s.setString(3, crmId);
            s.setString(4, company);
            s.setString(5, source);
            s.setString(6, campaign);
            s.setTimestamp(7, Timestamp.from(createdAt));
            s.setString(8, owner);
            s.setString(9, team);
            s.setTimestamp(10, Timestamp.from(createdAt));
            s.executeUpdate();
        }
    }

    public static long count(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    public static String string(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    public static int update(String sql, Object... args) throws SQLException {
        try (Connection c = connect(); PreparedStatement s = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                s.setObject(i + 1, args[i]);
            }
            return s.executeUpdate();
        }
    }
}
