package com.aiphoto.server.platform;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether the instance is draining (asked by {@code POST /observe/drain} or by the start of a graceful stop) and
 * whether it is stopping. Readiness reports DOWN from the first moment of either, and the request filter sheds
 * what nginx may retry elsewhere, so traffic moves away before the port closes.
 */
public final class Lifecycle {
    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean stopping = new AtomicBoolean();

    public boolean draining() {
        return draining.get();
    }

    public boolean stopping() {
        return stopping.get();
    }

    /** Returns false when draining had already begun. */
    public boolean startDraining() {
        return draining.compareAndSet(false, true);
    }

    /** Back to serving (an operator cancelled a drain); refused once stopping, returns whether it is serving. */
    public boolean cancelDraining() {
        if (stopping.get()) {
            return false;
        }
        draining.set(false);
        return true;
    }

    /** Drains too; returns false when a stop had already begun (a second SIGTERM, or stop after stop). */
    public boolean startStopping() {
        draining.set(true);
        return stopping.compareAndSet(false, true);
    }
}
