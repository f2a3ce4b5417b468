package com.aiphoto.server.platform.kv;

import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** {@link KeyValueStore} on Redis; every key is prefixed with {@code keyPrefix}. */
final class RedisKeyValueStore implements KeyValueStore, WindowCounter {
    /** INCR and, when the key has no TTL yet (just created), PEXPIRE: one atomic step. Returns {count, pttl}. */
    private static final RedisScript INCREMENT = new RedisScript("""
            local n = redis.call('INCR', KEYS[1])
            local ttl = redis.call('PTTL', KEYS[1])
            if ttl < 0 then
              redis.call('PEXPIRE', KEYS[1], ARGV[1])
              ttl = tonumber(ARGV[1])
            end
            return {n, ttl}
            """);

    /** DECR only an existing positive counter: a DECR on an expired key would create one without a TTL. */
    private static final RedisScript DECREMENT = new RedisScript("""
            local n = tonumber(redis.call('GET', KEYS[1]) or '0')
            if n > 0 then
              n = redis.call('DECR', KEYS[1])
            end
            return {n}
            """);

    private final RedisClientHolder redis;
    private final String keyPrefix;

    RedisKeyValueStore(RedisClientHolder redis, String keyPrefix) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
    }

    @Override
    public void put(String key, String value, Duration ttl) {
        SetArgs args = SetArgs.Builder.px(WindowCounter.ttlMillis(ttl));
        redis.call(c -> c.set(k(key), value, args));
    }

    @Override
    public boolean putIfAbsent(String key, String value, Duration ttl) {
        SetArgs args = SetArgs.Builder.nx().px(WindowCounter.ttlMillis(ttl));
        return "OK".equals(redis.call(c -> c.set(k(key), value, args)));
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(redis.call(c -> c.get(k(key))));
    }

    @Override
    public void delete(String key) {
        redis.call(c -> c.del(k(key)));
    }

    @Override
    public long increment(String key, Duration ttl) {
        return incrementCount(key, ttl).value();
    }

    @Override
    public Count incrementCount(String key, Duration ttl) {
        String ms = Long.toString(WindowCounter.ttlMillis(ttl));
        List<Object> reply = redis.call(c -> INCREMENT.<List<Object>>run(c, List.of(k(key)), ms));
        return new Count((Long) reply.get(0), Duration.ofMillis((Long) reply.get(1)));
    }

    @Override
    public void decrementCount(String key) {
        redis.call(c -> DECREMENT.<List<Object>>run(c, List.of(k(key))));
    }

    @Override
    public Optional<String> getAndDelete(String key) {
        return Optional.ofNullable(redis.call(c -> c.getdel(k(key))));
    }

    private String k(String key) {
        return keyPrefix + key;
    }
}
