package com.revops.feedback.insights;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small time-to-live cache for query results, invalidated as a whole. Plain Java. A result is stored only if no
 * invalidation happened since its computation started ({@link #generation()} taken before the query), so a result
 * computed from data older than the latest invalidation is never cached.
 */
public final class TtlCache<K, V> {

    private record Entry<V>(V value, Instant expires) {
    }

    private final Map<K, Entry<V>> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final Duration ttl;
    private final int maxEntries;

    public TtlCache(Duration ttl, int maxEntries) {
        this.ttl = ttl;
        this.maxEntries = maxEntries;
    }

    public boolean enabled() {
        return !ttl.isZero() && !ttl.isNegative();
    }

    /** The value cached for {@code key}, or null when absent or expired. */
    public V get(K key, Instant now) {
        Entry<V> e = entries.get(key);
        if (e == null) {
            return null;
        }
        if (!now.isBefore(e.expires())) {
            entries.remove(key, e);
            return null;
        }
        return e.value();
    }

    /** Take before computing a value; hand it to {@link #put}. */
    public long generation() {
        return generation.get();
    }

    /** Stores the value unless disabled, full, or invalidated since {@code generationAtStart}. */
    public void put(K key, V value, long generationAtStart, Instant now) {
        if (!enabled() || value == null || generation.get() != generationAtStart) {
            return;
        }
        if (entries.size() >= maxEntries) {
            entries.entrySet().removeIf(e -> !now.isBefore(e.getValue().expires()));
            if (entries.size() >= maxEntries) {
                return;
            }
        }
        entries.put(key, new Entry<>(value, now.plus(ttl)));
        if (generation.get() != generationAtStart) {
            entries.remove(key); // an invalidation raced with the store
        }
    }

    public void invalidate() {
        generation.incrementAndGet();
        entries.clear();
    }

    public int size() {
        return entries.size();
    }
}
