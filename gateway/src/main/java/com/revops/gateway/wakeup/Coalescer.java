package com.revops.gateway.wakeup;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * At most one run of something at a time, and one more run for any number of requests that came while it ran:
 * wake-ups of a worker (a NOTIFY per committed delivery would otherwise start a round per delivery) and NOTIFYs
 * themselves (a burst of deliveries sends one NOTIFY in flight plus one after it, not one each). Plain Java,
 * thread-safe.
 */
public final class Coalescer {

    private final AtomicBoolean inFlight = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    /** Asks for a run: true when the caller must run it now, false when a run in flight will be followed by one. */
    public boolean request() {
        if (inFlight.compareAndSet(false, true)) {
            again.set(false);
            return true;
        }
        again.set(true);
        // the run in flight may have finished between the two steps: then take over
        if (inFlight.compareAndSet(false, true)) {
            again.set(false);
            return true;
        }
        return false;
    }

    /**
     * Reports the end of a run: true when the caller must run once more (requests came meanwhile), false when it is
     * done and the next request starts a new run.
     */
    public boolean finished() {
        if (again.getAndSet(false)) {
            return true;
        }
        inFlight.set(false);
        // a request that saw the run in flight just before it ended set 'again' too late for the check above
        if (again.get() && inFlight.compareAndSet(false, true)) {
            again.set(false);
            return true;
        }
        return false;
    }

    /**
     * Ends a run that failed without running again: requests made meanwhile are dropped, and the next request (a
     * poll, a notification) starts a new run. Keeps a failing dependency from being retried in a tight loop.
     */
    public void release() {
        again.set(false);
        inFlight.set(false);
    }
}
