package com.aiphoto.server.platform.kv;

import java.time.Duration;
import java.util.function.Function;
import org.slf4j.Logger;

/**
 * Calls the shared (Redis) implementation, and while it throws {@link KvUnavailableException} the local (in
 * process) one. After a failure the shared one is tried again only every {@code probeEvery}, so an unresponsive
 * Redis costs one request per interval a {@code REDIS_TIMEOUT} wait, not every request.
 */
final class Failover<T> {
    private final T shared;
    private final T local;
    private final long probeEveryNanos;
    private final OutageLog outage;
    private volatile long nextProbeNanos = System.nanoTime();

    Failover(T shared, T local, Duration probeEvery, Logger log, String whileDown) {
        this.shared = shared;
        this.local = local;
        this.probeEveryNanos = probeEvery.toNanos();
        this.outage = new OutageLog(log, whileDown);
    }

    <R> R call(Function<T, R> op) {
        if (outage.isDown() && System.nanoTime() - nextProbeNanos < 0) {
            return op.apply(local);
        }
        try {
            R r = op.apply(shared);
            outage.ok();
            return r;
        } catch (KvUnavailableException e) {
            nextProbeNanos = System.nanoTime() + probeEveryNanos;
            outage.failed(e);
            return op.apply(local);
        }
    }

    boolean degraded() {
        return outage.isDown();
    }
}
