package com.aiphoto.server.platform;

import java.util.concurrent.atomic.AtomicBoolean;

/** Whether the instance is stopping; readiness reports DOWN from the first moment so balancers move away. */
public final class Lifecycle {
    private final AtomicBoolean draining = new AtomicBoolean();

    public boolean draining() {
        return draining.get();
    }

    /** Returns false when draining had already begun. */
    public boolean startDraining() {
        return draining.compareAndSet(false, true);
    }
}
