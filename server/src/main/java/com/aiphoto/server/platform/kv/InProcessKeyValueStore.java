package com.aiphoto.server.platform.kv;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The single-instance replacement for Redis. Each operation is one atomic map update, which gives the same
 * guarantees as the Redis commands. Expired entries are dropped when touched and swept every
 * {@link #SWEEP_EVERY} writes, so abandoned keys cannot pile up.
 */
final class InProcessKeyValueStore implements KeyValueStore, WindowCounter {
    static final int SWEEP_EVERY = 1024;

    private record Entry(String value, long expiresAtNanos) {
        boolean alive(long now) {
            return expiresAtNanos - now > 0;
        }
    }

    private final ConcurrentMap<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong writes = new AtomicLong();

    @Override
    public void put(String key, String value, Duration ttl) {
        entries.put(key, new Entry(value, expiresAt(ttl)));
        afterWrite();
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        long expiresAt = expiresAt(ttl);
        Entry mine = new Entry(value, expiresAt);
        long now = System.nanoTime();
        Entry result = entries.compute(key, (k, old) -> old != null && old.alive(now) ? old : mine);
        afterWrite();
        @SuppressWarnings("ReferenceEquality") // identity is the question: did this call's entry go in?
        boolean inserted = result == mine;
        return inserted;
    }

    @Override
    public Optional<String> get(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (!e.alive(System.nanoTime())) {
            entries.remove(key, e);
            return Optional.empty();
        }
        return Optional.of(e.value());
    }

    @Override
    public void delete(String key) {
        entries.remove(key);
    }

    @Override
    public long increment(String key, Duration ttl) {
        return incrementCount(key, ttl).value();
    }

    @Override
    public Count incrementCount(String key, Duration ttl) {
        long ttlNanos = Duration.ofMillis(WindowCounter.ttlMillis(ttl)).toNanos();
        long now = System.nanoTime();
        Entry e = entries.compute(
                key,
                (k, old) -> old != null && old.alive(now)
                        ? new Entry(Long.toString(parse(k, old.value()) + 1), old.expiresAtNanos())
                        : new Entry("1", now + ttlNanos));
        afterWrite();
        return new Count(Long.parseLong(e.value()), Duration.ofNanos(e.expiresAtNanos() - now));
    }

    @Override
    public void decrementCount(String key) {
        long now = System.nanoTime();
        entries.computeIfPresent(
                key,
                (k, old) -> !old.alive(now)
                        ? null
                        : new Entry(Long.toString(Math.max(0, parse(k, old.value()) - 1)), old.expiresAtNanos()));
    }

    private static long parse(String key, String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalStateException("value of " + key + " is not an integer", e);
        }
    }

    @Override
    public Optional<String> getAndDelete(String key) {
        Entry e = entries.remove(key);
        return e != null && e.alive(System.nanoTime()) ? Optional.of(e.value()) : Optional.empty();
    }

    private static long expiresAt(Duration ttl) {
        return System.nanoTime()
                + Duration.ofMillis(WindowCounter.ttlMillis(ttl)).toNanos();
    }

    private void afterWrite() {
        if (writes.incrementAndGet() % SWEEP_EVERY == 0) {
            long now = System.nanoTime();
            entries.values().removeIf(e -> !e.alive(now));
        }
    }

    /** Live entries, for tests. */
    int size() {
        long now = System.nanoTime();
        return (int) entries.values().stream().filter(e -> e.alive(now)).count();
    }
}
