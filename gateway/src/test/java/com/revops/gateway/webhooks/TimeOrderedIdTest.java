package com.revops.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The ids of stored deliveries and events: version 7 UUIDs, unique, ordered by the millisecond they were made in. */
class TimeOrderedIdTest {

    @Test
    void idsAreVersion7AndCarryTheirMillisecond() {
        long before = System.currentTimeMillis();
        UUID id = WebhookStore.timeOrderedId();
        long after = System.currentTimeMillis();
        assertEquals(7, id.version());
        assertEquals(2, id.variant(), "RFC 4122/9562 variant");
        long millis = id.getMostSignificantBits() >>> 16;
        assertTrue(millis >= before && millis <= after, "timestamp " + millis + " not in [" + before + ", " + after + "]");
    }

    @Test
    void idsAreUniqueAndLaterMillisecondsSortAfter() throws InterruptedException {
        Set<UUID> seen = new HashSet<>();
        for (int i = 0; i < 200_000; i++) {
            assertTrue(seen.add(WebhookStore.timeOrderedId()));
        }
        UUID earlier = WebhookStore.timeOrderedId();
        Thread.sleep(2);
        UUID later = WebhookStore.timeOrderedId();
        // PostgreSQL compares uuids as unsigned bytes, left to right: the timestamp comes first
        assertTrue(Long.compareUnsigned(earlier.getMostSignificantBits(), later.getMostSignificantBits()) < 0);
    }
}
