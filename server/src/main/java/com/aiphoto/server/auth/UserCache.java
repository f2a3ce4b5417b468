package com.aiphoto.server.auth;

import com.aiphoto.server.platform.kv.AccountChangeSignal;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongSupplier;

/**
 * The user rows authenticated requests read, kept for {@code ttl} (issue 16: the primary-key SELECT was the one
 * database round trip of {@code /api/auth/me}). Writers evict through {@link AccountChangeSignal}; the lifetime
 * bounds staleness when a signal is lost. A missing user is never cached, so a token of a deleted account stops
 * working once its row leaves the cache.
 *
 * <p>A read that raced an eviction must not put the old row back: every eviction bumps {@link #evictions}, and a
 * loaded row is kept only if no eviction happened between the start of its SELECT and its insertion (checked
 * again after the insertion, so an eviction landing between the check and the put removes what it put).
 */
final class UserCache implements AccountChangeSignal.Listener {
    /** Above this many rows the expired ones are dropped (and all, if that is not enough): memory stays bounded. */
    static final int MAX_ENTRIES = 100_000;

    private record Entry(User user, long expiresAtNanos) {}

    private final ConcurrentHashMap<Long, Entry> rows = new ConcurrentHashMap<>();
    private final AtomicLong evictions = new AtomicLong();
    private final long ttlNanos;
    private final LongSupplier nanoTime;

    UserCache(Duration ttl, LongSupplier nanoTime) {
        this.ttlNanos = ttl.toNanos();
        this.nanoTime = nanoTime;
    }

    /** The cached row of {@code id} if fresh, else {@code load}'s answer (kept when present). */
    Optional<User> get(long id, LongFunction<Optional<User>> load) {
        if (ttlNanos <= 0) {
            return load.apply(id);
        }
        long now = nanoTime.getAsLong();
        Entry cached = rows.get(id);
        if (cached != null && now - cached.expiresAtNanos() < 0) {
            return Optional.of(cached.user());
        }
        long seen = evictions.get();
        Optional<User> user = load.apply(id);
        if (user.isEmpty()) {
            rows.remove(id);
            return user;
        }
        if (evictions.get() == seen) {
            Entry e = new Entry(user.get(), now + ttlNanos);
            rows.put(id, e);
            if (evictions.get() != seen) {
                rows.remove(id, e);
            } else if (rows.size() > MAX_ENTRIES) {
                trim(now);
            }
        }
        return user;
    }

    @Override
    public void evict(long userId) {
        evictions.incrementAndGet();
        rows.remove(userId);
    }

    @Override
    public void evictAll() {
        evictions.incrementAndGet();
        rows.clear();
    }

    int size() {
        return rows.size();
    }

    private void trim(long now) {
        rows.values().removeIf(e -> now - e.expiresAtNanos() >= 0);
        if (rows.size() > MAX_ENTRIES) {
            rows.clear();
        }
    }
}
