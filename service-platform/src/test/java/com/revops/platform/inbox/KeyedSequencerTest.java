package com.revops.platform.inbox;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.Uni;

class KeyedSequencerTest {

    @Test
    void workOfOneKeyWaitsForThePreviousWhileOtherKeysRun() {
        KeyedSequencer sequencer = new KeyedSequencer();
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        CompletableFuture<Void> firstOfA = new CompletableFuture<>();
        sequencer.submit("a", () -> {
            log.add("a1 start");
            return Uni.createFrom().completionStage(firstOfA).invoke(() -> log.add("a1 end"));
        });
        sequencer.submit("a", () -> {
            log.add("a2 start");
            return Uni.createFrom().voidItem();
        });
        sequencer.submit("b", () -> {
            log.add("b1 start");
            return Uni.createFrom().voidItem();
        });
        // b ran although a1 is still running; a2 waits for a1
        assertEquals(List.of("a1 start", "b1 start"), log);
        assertEquals(1, sequencer.activeKeys());

        firstOfA.complete(null);
        assertEquals(List.of("a1 start", "b1 start", "a1 end", "a2 start"), log);
        assertEquals(0, sequencer.activeKeys());
    }

    @Test
    void aFailureDoesNotBlockTheNextWorkOfItsKey() {
        KeyedSequencer sequencer = new KeyedSequencer();
        List<String> log = new ArrayList<>();
        CompletableFuture<Void> failing = new CompletableFuture<>();
        sequencer.submit("k", () -> Uni.createFrom().completionStage(failing));
        sequencer.submit("k", () -> {
            log.add("second");
            return Uni.createFrom().voidItem();
        });
        assertEquals(List.of(), log);
        failing.completeExceptionally(new IllegalStateException("boom"));
        assertEquals(List.of("second"), log);
        assertEquals(0, sequencer.activeKeys());
    }
}
