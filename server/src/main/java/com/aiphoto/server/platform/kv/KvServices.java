package com.aiphoto.server.platform.kv;

import com.aiphoto.core.config.Settings;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The key-value store, rate limiter and wake-up signal for one installation: on Redis when {@code REDIS_HOST} is
 * set, else in process (one instance only). While Redis is down the rate limiter and the store fall back to this
 * instance's memory, so the API (SMS login included) keeps serving, degraded: limits per instance, a code
 * usable only on the instance that sent it. Readiness reports that state without failing (every instance
 * shares Redis, so failing readiness would take them all out of the balancer at once).
 */
public final class KvServices implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KvServices.class);

    private final Optional<RedisClientHolder> redis;
    private final KeyValueStore store;
    private final RateLimiter rateLimiter;
    private final WakeupSignal wakeups;
    private final AccountChangeSignal accountChanges;

    private KvServices(
            Optional<RedisClientHolder> redis, KeyValueStore store, RateLimiter rateLimiter, WakeupSignal wakeups) {
        this.redis = redis;
        this.store = store;
        this.rateLimiter = rateLimiter;
        this.wakeups = wakeups;
        this.accountChanges = new AccountChangeSignal(wakeups, redis.isPresent());
    }

    /**
     * @param prefix namespace for every Redis key and channel ({@code <prefix>:kv:...}), so several installations
     *               and test runs can share one Redis; letters, digits, {@code -_.:} only
     */
    public static KvServices create(Settings settings, String prefix) {
        Optional<RedisSettings> redisSettings = RedisSettings.from(settings);
        if (redisSettings.isEmpty()) {
            LOG.info("REDIS_HOST not set: rate limits, codes and wake-ups are kept in process (single instance only)");
            return inProcess();
        }
        return redis(new RedisClientHolder(redisSettings.get()), prefix);
    }

    /** The embedded single-instance services. */
    public static KvServices inProcess() {
        return new KvServices(
                Optional.empty(),
                new InProcessKeyValueStore(),
                new FixedWindowRateLimiter(new InProcessKeyValueStore()),
                new InProcessWakeupSignal());
    }

    /** Services on {@code redis}, which this object then owns and closes. */
    static KvServices redis(RedisClientHolder redis, String prefix) {
        String ns = namespace(prefix);
        RateLimiter limiter = new FallbackRateLimiter(
                new FixedWindowRateLimiter(new RedisKeyValueStore(redis, ns + "rl:")),
                new FixedWindowRateLimiter(new InProcessKeyValueStore()),
                RedisClientHolder.RECONNECT_BACKOFF);
        KeyValueStore store = new FallbackKeyValueStore(
                new RedisKeyValueStore(redis, ns + "kv:"),
                new InProcessKeyValueStore(),
                RedisClientHolder.RECONNECT_BACKOFF);
        return new KvServices(Optional.of(redis), store, limiter, new RedisWakeupSignal(redis, ns + "wake:"));
    }

    static String namespace(String prefix) {
        if (prefix == null || !prefix.matches("[A-Za-z0-9_.:-]+")) {
            throw new IllegalArgumentException("key prefix must be letters, digits or -_.: , got '" + prefix + "'");
        }
        return prefix.endsWith(":") ? prefix : prefix + ":";
    }

    public KeyValueStore keyValueStore() {
        return store;
    }

    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    public WakeupSignal wakeupSignal() {
        return wakeups;
    }

    /** What every writer of users and the ledger tells once its change commits; the user cache listens. */
    public AccountChangeSignal accountChanges() {
        return accountChanges;
    }

    /** True when backed by Redis, i.e. shared by all instances. */
    public boolean distributed() {
        return redis.isPresent();
    }

    /** For the readiness check: Redis answers PING within {@code REDIS_TIMEOUT}; always true in process. */
    public boolean ping() {
        return redis.map(RedisClientHolder::ping).orElse(true);
    }

    @Override
    public void close() {
        accountChanges.close();
        if (wakeups instanceof AutoCloseable c) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing wake-up signals failed", e);
            }
        }
        redis.ifPresent(RedisClientHolder::close);
    }
}
