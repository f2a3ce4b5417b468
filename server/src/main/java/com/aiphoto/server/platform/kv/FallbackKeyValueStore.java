package com.aiphoto.server.platform.kv;

import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps SMS login working when Redis is down: values go to this instance's memory while Redis fails (see
 * {@link Failover}). Values written to Redis before the outage are out of reach until it is back (a code sent
 * then must be requested again), and a value written during it is seen by this instance only.
 */
final class FallbackKeyValueStore implements KeyValueStore {
    private static final Logger LOG = LoggerFactory.getLogger(FallbackKeyValueStore.class);

    private final Failover<KeyValueStore> stores;

    FallbackKeyValueStore(KeyValueStore shared, KeyValueStore local, Duration probeEvery) {
        this.stores = new Failover<>(
                shared, local, probeEvery, LOG, "login codes are kept per instance until Redis answers again");
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        stores.call(s -> {
            s.put(key, value, ttl);
            return null;
        });
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        return stores.call(s -> s.putIfAbsent(key, value, ttl));
    }

    @Override
    public Optional<String> get(String key) {
        return stores.call(s -> s.get(key));
    }

    @Override
    public void delete(String key) {
        stores.call(s -> {
            s.delete(key);
            return null;
        });
    }

    @Override
    public long increment(String key, Duration ttl) {
        return stores.call(s -> s.increment(key, ttl));
    }

    @Override
    public Optional<String> getAndDelete(String key) {
        return stores.call(s -> s.getAndDelete(key));
    }

    boolean degraded() {
        return stores.degraded();
    }
}
