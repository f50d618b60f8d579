package com.revops.sandbox.core;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Access tokens the simulated CRMs issued, with their expiry; a fault can expire all of a CRM's tokens at once. */
public final class Tokens {

    /** What a presented token is. */
    public enum State { VALID, EXPIRED, UNKNOWN }

    /** One issued token. */
    public record Issued(String crm, String value, long issuedAt, long expiresAt, String subject) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, Issued> issued = new ConcurrentHashMap<>();

    public Issued issue(String crm, long lifetimeMillis, long now, String subject) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        String value = ("salesforce".equals(crm) ? "00DSIM!" : "sim-hs-") + HexFormat.of().formatHex(bytes);
        Issued token = new Issued(crm, value, now, now + lifetimeMillis, subject);
        issued.put(value, token);
        return token;
    }

    public State check(String crm, String value, long now) {
        Issued token = value == null ? null : issued.get(value);
        if (token == null || !token.crm().equals(crm)) {
            return State.UNKNOWN;
        }
        return now < token.expiresAt() ? State.VALID : State.EXPIRED;
    }

    /** Who the token was issued to (the Salesforce user id), or null. */
    public String subject(String value) {
        Issued token = value == null ? null : issued.get(value);
        return token == null ? null : token.subject();
    }

    /** How long ago the token expired, in milliseconds (0 when it did not). */
    public long expiredAgo(String value, long now) {
        Issued token = issued.get(value);
        return token == null ? 0 : Math.max(0, now - token.expiresAt());
    }

    /** Expires every token of {@code crm} issued so far; answers how many. */
    public int expireAll(String crm, long now) {
        int[] n = {0};
        issued.replaceAll((k, t) -> {
            if (t.crm().equals(crm) && t.expiresAt() > now) {
                n[0]++;
                return new Issued(t.crm(), t.value(), t.issuedAt(), now - 1, t.subject());
            }
            return t;
        });
        return n[0];
    }

    public long count(String crm) {
        return issued.values().stream().filter(t -> t.crm().equals(crm)).count();
    }
}
