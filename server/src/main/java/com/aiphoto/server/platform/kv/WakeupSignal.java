package com.aiphoto.server.platform.kv;

import java.util.function.Consumer;

/**
 * Lets one instance nudge the others (and itself) that work is ready, e.g. a task was queued, so workers need
 * not wait for their next poll. Signals are best effort: they may be lost (no subscriber yet, Redis restarting)
 * and carry no data, so subscribers must also poll the database, which stays the source of truth.
 */
public interface WakeupSignal {

    /** Wakes every current subscriber of {@code topic} on every instance. Never throws: a lost signal is allowed. */
    default void signal(String topic) {
        signal(topic, "");
    }

    /** Like {@link #signal(String)}, with a short {@code message} (e.g. an id) for the subscribers. */
    void signal(String topic, String message);

    /**
     * Calls {@code onSignal} for each signal on {@code topic} until the subscription is closed. The callback runs
     * on an I/O or the signalling thread: it must return quickly (release a semaphore, submit a task).
     */
    default Subscription subscribe(String topic, Runnable onSignal) {
        return subscribeMessages(topic, message -> onSignal.run());
    }

    /** Like {@link #subscribe(String, Runnable)}, receiving each signal's message. */
    Subscription subscribeMessages(String topic, Consumer<String> onMessage);

    /** Stops delivery; closing twice is harmless. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}
