package com.revops.feedback.insights;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

/** Plain Java: expiry, invalidation, and no caching of a result computed before an invalidation. */
class TtlCacheTest {

    static final Instant T = Instant.parse("2026-11-24T10:00:00Z");

    @Test
    void servesUntilTheTtlThenForgets() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(30), 10);
        cache.put("k", "v", cache.generation(), T);
        assertEquals("v", cache.get("k", T.plusSeconds(29)));
        assertNull(cache.get("k", T.plusSeconds(30)));
    }

    @Test
    void anInvalidationDuringTheQueryKeepsItsResultOut() {
        TtlCache<String, String> cache = new TtlCache<>(Duration.ofSeconds(30), 10);
        cache.put("a", "old", cache.generation(), T);
        long before = cache.generation();
        cache.invalidate(); // a disqualification arrives while the query runs
        cache.put("b", "computed-before", before, T);
        assertNull(cache.get("a", T));
        assertNull(cache.get("b", T));
        cache.put("b", "fresh", cache.generation(), T);
        assertEquals("fresh", cache.get("b", T));
    }

    @Test
    void zeroTtlDisablesAndTheSizeIsBounded() {
        TtlCache<String, String> off = new TtlCache<>(Duration.ZERO, 10);
        off.put("k", "v", off.generation(), T);
        assertNull(off.get("k", T));
        TtlCache<Integer, String> small = new TtlCache<>(Duration.ofSeconds(30), 2);
        for (int i = 0; i < 5; i++) {
            small.put(i, "v", small.generation(), T);
        }
        assertEquals(2, small.size());
    }
}
