package com.aiphoto.server.platform.kv;

import java.util.function.Consumer;

/** Wake-ups within this process: {@link #signal} runs the callbacks on the caller's thread. Nothing is lost. */
final class InProcessWakeupSignal implements WakeupSignal {
    private final Listeners listeners = new Listeners();

    @Override
    public void signal(String topic, String message) {
        listeners.dispatch(topic, message);
    }

    @Override
    public Subscription subscribeMessages(String topic, Consumer<String> onSignal) {
        Listeners.Handle h = listeners.add(topic, onSignal);
        return () -> listeners.remove(h);
    }
}
