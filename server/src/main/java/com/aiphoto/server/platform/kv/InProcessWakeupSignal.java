package com.aiphoto.server.platform.kv;

/** Wake-ups within this process: {@link #signal} runs the callbacks on the caller's thread. Nothing is lost. */
final class InProcessWakeupSignal implements WakeupSignal {
    private final Listeners listeners = new Listeners();

    @Override
    public void signal(String topic) {
        listeners.dispatch(topic);
    }

    @Override
    public Subscription subscribe(String topic, Runnable onSignal) {
        Listeners.Handle h = listeners.add(topic, onSignal);
        return () -> listeners.remove(h);
    }
}
