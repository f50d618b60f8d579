package com.revops.gateway.webhooks;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Group commit: items submitted while earlier writes are in flight wait and go together in the next write (one
 * statement, one round trip, one commit), so a burst of small deliveries costs a few commits instead of one each.
 * An idle system writes an item at once, alone: no timer, no added wait.
 *
 * <p>Each submitter's future completes only when the write that holds its item has completed, with that write's
 * outcome. A failed write of several items is retried item by item, so one bad item fails only its own submitter and
 * every submitter gets an honest answer about its own item. Plain Java, thread-safe.
 *
 * @param <T> what is written
 */
public final class GroupCommit<T> {

    private record Waiting<T>(T item, CompletableFuture<Void> done) {
    }

    private final int maxBatch;
    private final int maxInFlight;
    private final Function<List<T>, CompletionStage<?>> writer;
    private final ArrayDeque<Waiting<T>> queue = new ArrayDeque<>();
    private int inFlight;

    /**
     * @param maxBatch most items per write
     * @param maxInFlight most writes at once; items submitted beyond it wait for the next write (1 with maxBatch 1
     *        would serialise everything; maxBatch 1 with a large maxInFlight is "no grouping")
     * @param writer writes a batch atomically (all or nothing) and completes when it is durable
     */
    public GroupCommit(int maxBatch, int maxInFlight, Function<List<T>, CompletionStage<?>> writer) {
        if (maxBatch < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("maxBatch and maxInFlight must be at least 1");
        }
        this.maxBatch = maxBatch;
        this.maxInFlight = maxInFlight;
        this.writer = writer;
    }

    /** Queues the item; the answer completes when a write holding it is durable, or fails when its write failed. */
    public CompletionStage<Void> submit(T item) {
        Waiting<T> waiting = new Waiting<>(item, new CompletableFuture<>());
        List<Waiting<T>> batch;
        synchronized (this) {
            queue.add(waiting);
            batch = nextBatch();
        }
        if (batch != null) {
            write(batch);
        }
        return waiting.done();
    }

    /** Under the lock: the next batch to write, if a write may start now. */
    private List<Waiting<T>> nextBatch() {
        if (queue.isEmpty() || inFlight >= maxInFlight) {
            return null;
        }
        inFlight++;
        List<Waiting<T>> batch = new ArrayList<>(Math.min(queue.size(), maxBatch));
        while (batch.size() < maxBatch && !queue.isEmpty()) {
            batch.add(queue.poll());
        }
        return batch;
    }

    private void write(List<Waiting<T>> batch) {
        List<T> items = new ArrayList<>(batch.size());
        batch.forEach(w -> items.add(w.item()));
        start(items).whenComplete((ok, failure) -> {
            if (failure == null) {
                batch.forEach(w -> w.done().complete(null));
            } else if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(failure);
            } else {
                // which item failed the write is unknown: each one alone gets its own outcome
                batch.forEach(w -> start(List.of(w.item())).whenComplete((ok1, failure1) -> {
                    if (failure1 == null) {
                        w.done().complete(null);
                    } else {
                        w.done().completeExceptionally(failure1);
                    }
                }));
            }
            List<Waiting<T>> next;
            synchronized (this) {
                inFlight--;
                next = nextBatch();
            }
            if (next != null) {
                write(next);
            }
        });
    }

    private CompletionStage<?> start(List<T> items) {
        try {
            return writer.apply(items);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Items waiting for a write (for a gauge). */
    public synchronized int waiting() {
        return queue.size();
    }
}
