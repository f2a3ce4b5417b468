package com.aiphoto.server.platform.kv;

import java.time.Duration;
import java.util.Optional;

/**
 * Values that may be lost and expire on their own: login codes, attempt counters, short caches. Every value has
 * a TTL so nothing outlives its use even if the code that should delete it never runs. Shared by all instances
 * when Redis is configured. Redis failures surface as {@link KvUnavailableException}.
 */
public interface KeyValueStore {

    /** Sets {@code key} to {@code value}, replacing any value and its TTL. */
    void put(String key, String value, Duration ttl);

    /** Sets {@code key} only if it holds no value (SET NX PX): the first caller wins, e.g. a de-duplication mark. */
    boolean putIfAbsent(String key, String value, Duration ttl);

    Optional<String> get(String key);

    void delete(String key);

    /**
     * Adds one atomically and returns the new count. The TTL starts when the key is created (count 1) and is not
     * extended by later increments, so a counter covers a fixed window such as "attempts in the last 10 minutes".
     */
    long increment(String key, Duration ttl);

    /** Reads and removes in one step, so a single-use value (a code, a nonce) is returned to exactly one caller. */
    Optional<String> getAndDelete(String key);
}
