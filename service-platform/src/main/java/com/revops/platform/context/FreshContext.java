package com.revops.platform.context;

import java.util.function.Supplier;

import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;

/**
 * Runs reactive work on a new duplicated Vert.x context. Hibernate Reactive keeps its session in the context, so work
 * started from outside a request (a consumer callback, a wake-up, a timer) gets a session of its own and never shares
 * one with other work running at the same time.
 */
public final class FreshContext {

    private FreshContext() {
    }

    /** Subscribes to {@code work} on a fresh duplicated context of {@code vertx}; the result is delivered as usual. */
    public static <T> Uni<T> run(io.vertx.core.Vertx vertx, Supplier<Uni<T>> work) {
        Context current = io.vertx.core.Vertx.currentContext();
        Context root = current != null ? current : vertx.getOrCreateContext();
        Context duplicated = VertxContext.createNewDuplicatedContext(root);
        io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle.setContextSafe(duplicated, true);
        return Uni.createFrom().emitter(emitter -> duplicated.runOnContext(ignored -> {
            try {
                work.get().subscribe().with(emitter::complete, emitter::fail);
            } catch (RuntimeException e) {
                emitter.fail(e);
            }
        }));
    }
}
