package com.aiphoto.server.platform.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.testing.Concurrently;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The behaviour every {@link KeyValueStore} shares; subclasses supply the implementation. */
abstract class KeyValueStoreContract {
    static final Duration LONG = Duration.ofMinutes(1);
    static final Duration SHORT = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofSeconds(3);

    KeyValueStore store;

    /** A fresh, empty store; subclasses release it in their own {@code @AfterEach}. */
    abstract KeyValueStore newStore();

    @BeforeEach
    void setUp() {
        store = newStore();
    }

    @Test
    void putGetDelete() {
        assertEquals(Optional.empty(), store.get("a"));
        store.put("a", "1", LONG);
        assertEquals(Optional.of("1"), store.get("a"));
        store.put("a", "2", LONG);
        assertEquals(Optional.of("2"), store.get("a"));
        store.delete("a");
        assertEquals(Optional.empty(), store.get("a"));
        store.delete("a");
    }

    @Test
    void valuesExpire() throws Exception {
        store.put("a", "1", SHORT);
        assertEquals(Optional.of("1"), store.get("a"));
        assertTrue(Concurrently.within(WAIT, () -> store.get("a").isEmpty()));
    }

    @Test
    void putIfAbsentOnlyFirstWins() throws Exception {
        assertTrue(store.putIfAbsent("a", "first", SHORT));
        assertFalse(store.putIfAbsent("a", "second", SHORT));
        assertEquals(Optional.of("first"), store.get("a"));
        assertTrue(Concurrently.within(WAIT, () -> store.get("a").isEmpty()));
        assertTrue(store.putIfAbsent("a", "third", LONG), "an expired value is absent");
        assertEquals(Optional.of("third"), store.get("a"));
    }

    @Test
    void putIfAbsentUnderConcurrencyHasOneWinner() throws Exception {
        List<Boolean> won = Concurrently.run(16, () -> store.putIfAbsent("once", "x", LONG));
        assertEquals(1, won.stream().filter(w -> w).count());
    }

    @Test
    void incrementStartsAtOneAndKeepsItsFirstTtl() throws Exception {
        assertEquals(1, store.increment("n", SHORT));
        assertEquals(2, store.increment("n", LONG), "a later ttl does not extend the window");
        assertEquals(Optional.of("2"), store.get("n"));
        assertTrue(Concurrently.within(WAIT, () -> store.get("n").isEmpty()));
        assertEquals(1, store.increment("n", LONG));
    }

    @Test
    void incrementIsAtomic() throws Exception {
        List<List<Long>> perThread = Concurrently.run(
                8,
                () -> LongStream.range(0, 100)
                        .map(i -> store.increment("n", LONG))
                        .boxed()
                        .toList());
        var seen = new HashSet<Long>();
        perThread.forEach(seen::addAll);
        assertEquals(800, seen.size(), "every increment saw a distinct count");
        assertEquals(Optional.of("800"), store.get("n"));
    }

    @Test
    void getAndDeleteIsSingleUse() throws Exception {
        store.put("code", "123456", LONG);
        assertEquals(Optional.of("123456"), store.getAndDelete("code"));
        assertEquals(Optional.empty(), store.getAndDelete("code"));
        assertEquals(Optional.empty(), store.get("code"));

        store.put("code", "654321", LONG);
        List<Optional<String>> got = Concurrently.run(16, () -> store.getAndDelete("code"));
        assertEquals(1, got.stream().filter(Optional::isPresent).count(), "exactly one winner");
    }

    @Test
    void expiredValueIsNotReturnedByGetAndDelete() throws Exception {
        store.put("code", "1", SHORT);
        assertTrue(Concurrently.within(WAIT, () -> store.get("code").isEmpty()));
        assertEquals(Optional.empty(), store.getAndDelete("code"));
    }

    @Test
    void ttlMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> store.put("a", "1", Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> store.increment("a", Duration.ofSeconds(-1)));
    }
}
