package com.revops.sandbox.core;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Salesforce record ids as the platform makes them: a 3-character key prefix of the object (00Q Lead, 003 Contact,
 * ...), a pod and reserved part, a base-62 counter, and the 3-character case-safe suffix computed from the
 * capitalisation of the 15-character id. Deterministic: the n-th record of a type always gets the same id.
 */
public final class SalesforceIds {

    public static final Map<String, String> PREFIXES = Map.ofEntries(Map.entry("Lead", "00Q"),
            Map.entry("Contact", "003"), Map.entry("Account", "001"), Map.entry("Opportunity", "006"),
            Map.entry("Task", "00T"), Map.entry("Event", "00U"), Map.entry("Campaign", "701"),
            Map.entry("CampaignMember", "00v"), Map.entry("User", "005"), Map.entry("OpportunityHistory", "008"),
            Map.entry("Group", "00G"), Map.entry("Notification", "04l"));

    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final String SUFFIX = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";

    private final String pod;
    private final Map<String, AtomicLong> counters = new ConcurrentHashMap<>();

    /** @param pod two characters that stand for the org's instance, e.g. "Dn" */
    public SalesforceIds(String pod) {
        if (pod == null || pod.length() != 2) {
            throw new IllegalArgumentException("pod must be 2 characters");
        }
        this.pod = pod;
    }

    private volatile long offset;

    /** Moves every counter on by {@code n}, also those of object types not used yet. */
    public synchronized void advance(long n) {
        offset += n;
        counters.values().forEach(c -> c.addAndGet(n));
    }

    public String next(String sobject) {
        String prefix = PREFIXES.get(sobject);
        if (prefix == null) {
            throw new IllegalArgumentException("no key prefix for " + sobject);
        }
        long n = counters.computeIfAbsent(sobject, k -> new AtomicLong(offset)).incrementAndGet();
        StringBuilder counter = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            counter.insert(0, BASE62.charAt((int) (n % 62)));
            n /= 62;
        }
        return to18(prefix + pod + "0" + counter);
    }

    /** The 18-character case-safe form of a 15-character id (18-character ids are returned unchanged). */
    public static String to18(String id15) {
        if (id15.length() == 18) {
            return id15;
        }
        if (id15.length() != 15) {
            throw new IllegalArgumentException("a Salesforce id has 15 or 18 characters: " + id15);
        }
        StringBuilder suffix = new StringBuilder(3);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id15.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            suffix.append(SUFFIX.charAt(bits));
        }
        return id15 + suffix;
    }

    /** The object whose key prefix starts {@code id}, or null. */
    public static String sobjectOf(String id) {
        if (id == null || id.length() < 3) {
            return null;
        }
        String prefix = id.substring(0, 3);
        return PREFIXES.entrySet().stream().filter(e -> e.getValue().equals(prefix)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    /** Whether two ids name the same record (15- and 18-character forms compare on the first 15). */
    public static boolean same(String a, String b) {
        if (a == null || b == null || a.length() < 15 || b.length() < 15) {
            return false;
        }
        return a.substring(0, 15).equals(b.substring(0, 15));
    }
}
