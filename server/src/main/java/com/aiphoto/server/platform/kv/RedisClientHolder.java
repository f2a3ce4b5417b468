package com.aiphoto.server.platform.kv;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One lettuce client and its shared, thread-safe connection. Calls never hang: connecting and each command are
 * bounded by {@code REDIS_TIMEOUT}, and while disconnected commands are rejected at once instead of queued.
 * The connection is made on first use, so the server starts while Redis is down; after a failed attempt it
 * waits {@link #RECONNECT_BACKOFF} before trying again, failing fast meanwhile. Once connected, lettuce
 * reconnects by itself after an outage.
 */
public final class RedisClientHolder implements AutoCloseable {
    static final Duration RECONNECT_BACKOFF = Duration.ofSeconds(1);

    private final RedisSettings settings;
    private final RedisClient client;
    private volatile StatefulRedisConnection<String, String> connection;
    private long retryAtNanos = System.nanoTime();
    private boolean closed;

    public RedisClientHolder(RedisSettings settings) {
        this.settings = settings;
        RedisURI.Builder uri = RedisURI.builder()
                .withHost(settings.host())
                .withPort(settings.port())
                .withDatabase(settings.database())
                .withTimeout(settings.timeout());
        settings.password().ifPresent(p -> uri.withPassword(p.toCharArray()));
        this.client = RedisClient.create(uri.build());
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(settings.timeout())
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(settings.timeout()))
                .build());
    }

    public RedisSettings settings() {
        return settings;
    }

    /** For the readiness check: true when Redis answers PING in time. Never throws. */
    public boolean ping() {
        try {
            return "PONG".equals(call(RedisCommands::ping));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** Runs {@code command} on the shared connection; any Redis failure becomes {@link KvUnavailableException}. */
    <T> T call(Function<RedisCommands<String, String>, T> command) {
        StatefulRedisConnection<String, String> c = connection;
        if (c == null) {
            c = connect(() -> connection == null ? (connection = client.connect()) : connection);
        }
        try {
            return command.apply(c.sync());
        } catch (RedisException e) {
            throw unavailable(e);
        }
    }

    /** A new pub/sub connection (subscriptions need their own); the caller closes it. */
    StatefulRedisPubSubConnection<String, String> connectPubSub() {
        return connect(client::connectPubSub);
    }

    /** Runs {@code task} once after {@code delay} on lettuce's scheduler (no thread of our own to stop). */
    void schedule(Runnable task, Duration delay) {
        var unused = client.getResources().eventExecutorGroup().schedule(task, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private synchronized <T> T connect(Supplier<T> connector) {
        if (closed) {
            throw new KvUnavailableException("Redis client for " + settings.address() + " is closed", null);
        }
        if (System.nanoTime() - retryAtNanos < 0) {
            throw new KvUnavailableException(
                    "Redis at " + settings.address() + " unavailable (retrying shortly)", null);
        }
        try {
            return connector.get();
        } catch (RedisException e) {
            retryAtNanos = System.nanoTime() + RECONNECT_BACKOFF.toNanos();
            throw unavailable(e);
        }
    }

    private KvUnavailableException unavailable(RedisException e) {
        return new KvUnavailableException("Redis at " + settings.address() + " failed: " + e.getMessage(), e);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        StatefulRedisConnection<String, String> c = connection;
        if (c != null) {
            c.close();
        }
        client.shutdown(Duration.ZERO, settings.timeout());
    }
}
