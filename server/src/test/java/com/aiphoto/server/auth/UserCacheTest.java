package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.core.account.Role;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The cache's rules on a fake clock: lifetime, eviction, misses, and a read racing an eviction. */
class UserCacheTest {
    private final AtomicLong nanos = new AtomicLong(1_000);
    private final UserCache cache = new UserCache(Duration.ofSeconds(1), nanos::get);
    private final AtomicInteger loads = new AtomicInteger();

    private static User user(long id, int quota) {
        return new User(id, null, null, null, null, null, Role.USER, null, quota, Instant.EPOCH);
    }

    private Optional<User> load(long id, int quota) {
        return cache.get(id, i -> {
            loads.incrementAndGet();
            return Optional.of(user(i, quota));
        });
    }

    @Test
    void aRowIsReusedForItsLifetimeAndEvictedOnASignal() {
        assertEquals(1, load(7, 1).orElseThrow().quotaBalance());
        assertEquals(1, load(7, 2).orElseThrow().quotaBalance(), "cached");
        assertEquals(1, loads.get());
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        assertEquals(2, load(7, 2).orElseThrow().quotaBalance(), "expired: read again");
        cache.evict(7);
        assertEquals(3, load(7, 3).orElseThrow().quotaBalance(), "evicted: read again");
        cache.evictAll();
        assertEquals(4, load(7, 4).orElseThrow().quotaBalance());
        assertEquals(4, loads.get());
    }

    @Test
    void aMissingUserIsNeverCached() {
        load(9, 1);
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertEquals(Optional.empty(), cache.get(9, i -> Optional.empty()), "deleted");
        assertEquals(0, cache.size());
        assertEquals(Optional.empty(), cache.get(9, i -> Optional.empty()));
    }

    @Test
    void aReadThatRacedAnEvictionDoesNotPutTheOldRowBack() {
        // the SELECT read the row before the writer committed; the writer's eviction lands before the put
        Optional<User> old = cache.get(5, i -> {
            cache.evict(5);
            return Optional.of(user(i, 0));
        });
        assertEquals(0, old.orElseThrow().quotaBalance(), "this request answers with what it read");
        assertEquals(0, cache.size(), "but the next one reads again");
        assertEquals(10, load(5, 10).orElseThrow().quotaBalance());
    }

    @Test
    void aZeroLifetimeReadsEveryTime() {
        UserCache off = new UserCache(Duration.ZERO, nanos::get);
        off.get(1, i -> Optional.of(user(i, 1)));
        assertEquals(2, off.get(1, i -> Optional.of(user(i, 2))).orElseThrow().quotaBalance());
        assertEquals(0, off.size());
    }
}
