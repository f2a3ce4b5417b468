package com.aiphoto.server.platform.kv;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.time.Duration;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wake-ups over Redis pub/sub: {@code PUBLISH <channelPrefix><topic>} reaches every instance subscribed at that
 * moment, this one included. One pub/sub connection carries all of this instance's topics; callbacks run on
 * lettuce's I/O thread. Lettuce resubscribes after a reconnect; if the first connection or a SUBSCRIBE fails
 * (Redis down), it is retried every {@link #RETRY} while anyone is subscribed. Signals sent meanwhile are lost,
 * which the {@link WakeupSignal} contract allows.
 */
final class RedisWakeupSignal implements WakeupSignal, AutoCloseable {
    static final Duration RETRY = Duration.ofSeconds(2);
    private static final Logger LOG = LoggerFactory.getLogger(RedisWakeupSignal.class);

    private final RedisClientHolder redis;
    private final String channelPrefix;
    private final Listeners listeners = new Listeners();
    private final OutageLog outage = new OutageLog(LOG, "wake-up signals are lost until Redis answers again");
    private StatefulRedisPubSubConnection<String, String> pubSub;
    private boolean retryScheduled;
    private boolean closed;

    RedisWakeupSignal(RedisClientHolder redis, String channelPrefix) {
        this.redis = redis;
        this.channelPrefix = channelPrefix;
    }

    @Override
    public void signal(String topic, String message) {
        try {
            redis.call(c -> c.publish(channelPrefix + topic, message));
            outage.ok();
        } catch (KvUnavailableException e) {
            outage.failed(e);
        }
    }

    @Override
    public synchronized Subscription subscribeMessages(String topic, Consumer<String> onSignal) {
        String channel = channelPrefix + topic;
        boolean first = !listeners.has(channel);
        Listeners.Handle h = listeners.add(channel, onSignal);
        if (first) {
            ensureSubscribed();
        }
        return () -> unsubscribe(h);
    }

    private synchronized void unsubscribe(Listeners.Handle h) {
        if (listeners.remove(h) && pubSub != null) {
            try {
                pubSub.sync().unsubscribe(h.topic);
            } catch (RuntimeException e) {
                LOG.debug("unsubscribe {} failed (no listener left, so harmless)", h.topic, e);
            }
        }
    }

    /** Connects if needed and subscribes every topic with listeners (SUBSCRIBE is idempotent). */
    private synchronized void ensureSubscribed() {
        String[] topics = listeners.topics();
        if (closed || topics.length == 0) {
            return;
        }
        try {
            if (pubSub == null) {
                pubSub = redis.connectPubSub();
                pubSub.addListener(new RedisPubSubAdapter<>() {
                    @Override
                    public void message(String channel, String message) {
                        listeners.dispatch(channel, message);
                    }
                });
            }
            pubSub.sync().subscribe(topics);
            outage.ok();
        } catch (RuntimeException e) { // KvUnavailableException from connecting, RedisException from SUBSCRIBE
            outage.failed(e);
            scheduleRetry();
        }
    }

    private synchronized void scheduleRetry() {
        if (retryScheduled || closed) {
            return;
        }
        retryScheduled = true;
        try {
            redis.schedule(
                    () -> {
                        synchronized (this) {
                            retryScheduled = false;
                        }
                        ensureSubscribed();
                    },
                    RETRY);
        } catch (RuntimeException e) { // the client is shutting down
            retryScheduled = false;
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        listeners.clear();
        if (pubSub != null) {
            pubSub.close();
            pubSub = null;
        }
    }
}
