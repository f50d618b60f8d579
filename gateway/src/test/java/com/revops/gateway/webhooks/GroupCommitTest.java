package com.revops.gateway.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** Group commit in isolation: a write per idle submit, grouping under load, an honest answer for every item. */
class GroupCommitTest {

    /** A writer whose writes complete when the test says so. */
    static final class Writes {
        final List<List<String>> batches = new ArrayList<>();
        final List<CompletableFuture<Void>> pending = new ArrayList<>();

        synchronized CompletionStage<?> write(List<String> batch) {
            batches.add(List.copyOf(batch));
            CompletableFuture<Void> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        }

        void complete(int i) {
            pending.get(i).complete(null);
        }
    }

    @Test
    void anIdleSubmitIsWrittenAtOnceAlone() throws Exception {
        Writes w = new Writes();
        GroupCommit<String> g = new GroupCommit<>(10, 2, w::write);
        CompletableFuture<Void> a = g.submit("a").toCompletableFuture();
        assertEquals(List.of(List.of("a")), w.batches);
        assertFalse(a.isDone());
        w.complete(0);
        a.get(1, TimeUnit.SECONDS);
    }

    @Test
    void submitsWaitingForAFreeWriteGoTogetherAndAreAnsweredAfterIt() throws Exception {
        Writes w = new Writes();
        GroupCommit<String> g = new GroupCommit<>(3, 1, w::write);
        CompletableFuture<Void> a = g.submit("a").toCompletableFuture();
        List<CompletableFuture<Void>> later = new ArrayList<>();
        for (String s : List.of("b", "c", "d", "e")) {
            later.add(g.submit(s).toCompletableFuture());
        }
        assertEquals(1, w.batches.size());
        assertEquals(4, g.waiting());
        w.complete(0);
        a.get(1, TimeUnit.SECONDS);
        assertEquals(List.of("b", "c", "d"), w.batches.get(1)); // at most maxBatch
        assertTrue(later.stream().noneMatch(CompletableFuture::isDone)); // not before their own write is durable
        w.complete(1);
        assertEquals(List.of("e"), w.batches.get(2));
        assertTrue(later.subList(0, 3).stream().allMatch(CompletableFuture::isDone));
        assertFalse(later.get(3).isDone());
        w.complete(2);
        later.get(3).get(1, TimeUnit.SECONDS);
    }

    @Test
    void aFailedGroupIsRetriedItemByItemSoOnlyTheBadItemFails() {
        List<List<String>> writes = new ArrayList<>();
        GroupCommit<String> g = new GroupCommit<>(10, 1, batch -> {
            writes.add(List.copyOf(batch));
            return batch.contains("bad") ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
                    : CompletableFuture.completedFuture(null);
        });
        // hold the one write slot so that the next three are grouped
        CompletableFuture<Void> gate = new CompletableFuture<>();
        GroupCommit<String> held = new GroupCommit<>(10, 1, batch -> {
            writes.add(List.copyOf(batch));
            if (batch.equals(List.of("first"))) {
                return gate;
            }
            return batch.contains("bad") ? CompletableFuture.failedFuture(new IllegalStateException("refused"))
                    : CompletableFuture.completedFuture(null);
        });
        held.submit("first");
        CompletableFuture<Void> ok1 = held.submit("ok1").toCompletableFuture();
        CompletableFuture<Void> bad = held.submit("bad").toCompletableFuture();
        CompletableFuture<Void> ok2 = held.submit("ok2").toCompletableFuture();
        gate.complete(null);
        assertTrue(writes.contains(List.of("ok1", "bad", "ok2")));
        assertTrue(ok1.isDone() && !ok1.isCompletedExceptionally());
        assertTrue(ok2.isDone() && !ok2.isCompletedExceptionally());
        ExecutionException e = assertThrows(ExecutionException.class, () -> bad.get(1, TimeUnit.SECONDS));
        assertEquals("refused", e.getCause().getMessage());
        // and a lone failing item fails at once, without a retry
        writes.clear();
        assertThrows(ExecutionException.class, () -> g.submit("bad").toCompletableFuture().get(1, TimeUnit.SECONDS));
        assertEquals(List.of(List.of("bad")), writes);
    }
}
