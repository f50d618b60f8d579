package com.revops.platform.inbox;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.smallrye.mutiny.Uni;

/**
 * Runs units of work in submission order per key and concurrently across keys: the work for a key starts when the
 * previous work for the same key has finished (successfully or not). Plain Java, no framework types.
 */
public final class KeyedSequencer {

    private final Map<String, CompletableFuture<Void>> tails = new ConcurrentHashMap<>();

    /** Starts {@code work} now, or after the work already submitted for {@code key}. */
    public void submit(String key, Supplier<Uni<?>> work) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> previous = tails.put(key, mine);
        Runnable start = () -> {
            Uni<?> uni;
            try {
                uni = work.get();
            } catch (RuntimeException e) {
                done(key, mine);
                throw e;
            }
            uni.subscribe().with(ok -> done(key, mine), failure -> done(key, mine));
        };
        if (previous == null) {
            start.run();
        } else {
            previous.whenComplete((ignored, failure) -> start.run());
        }
    }

    /** Keys with work running or waiting (for metrics and tests). */
    public int activeKeys() {
        return tails.size();
    }

    private void done(String key, CompletableFuture<Void> mine) {
        tails.remove(key, mine);
        mine.complete(null);
    }
}
