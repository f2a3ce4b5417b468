package com.aiphoto.server.platform.kv;

/**
 * Lets one instance nudge the others (and itself) that work is ready, e.g. a task was queued, so workers need
 * not wait for their next poll. Signals are best effort: they may be lost (no subscriber yet, Redis restarting)
 * and carry no data, so subscribers must also poll the database, which stays the source of truth.
 */
public interface WakeupSignal {

    /** Wakes every current subscriber of {@code topic} on every instance. Never throws: a lost signal is allowed. */
    void signal(String topic);

    /**
     * Calls {@code onSignal} for each signal on {@code topic} until the subscription is closed. The callback runs
     * on an I/O or the signalling thread: it must return quickly (release a semaphore, submit a task).
     */
    Subscription subscribe(String topic, Runnable onSignal);

    /** Stops delivery; closing twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
