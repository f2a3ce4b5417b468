package com.aiphoto.server.callbacks;

import com.aiphoto.server.platform.kv.KeyValueStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Replays refused through the shared key-value store (Redis {@code SET NX PX}). While Redis is down the store
 * falls back to this instance's memory, so a replay sent to another instance in that window passes this check;
 * it then finds its step finished and has no effect ({@link StepCallbacks} is idempotent).
 */
final class KvReplayGuard implements ReplayGuard {
    private static final String PREFIX = "callback-replay:";

    private final KeyValueStore store;
    private final Clock clock;

    KvReplayGuard(KeyValueStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public boolean firstSeen(String signature, Instant until) {
        Duration ttl = Duration.between(clock.instant(), until);
        return store.putIfAbsent(
                PREFIX + signature, "1", ttl.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : ttl);
    }

    @Override
    public void forget(String signature) {
        store.delete(PREFIX + signature);
    }
}
