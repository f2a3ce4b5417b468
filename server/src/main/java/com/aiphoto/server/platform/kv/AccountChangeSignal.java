package com.aiphoto.server.platform.kv;

import com.aiphoto.core.account.AccountChanges;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link AccountChanges} for this installation: a change evicts this instance's cached rows synchronously (the
 * writer's next request sees it), and on Redis is published on the {@link AccountChanges#TOPIC} wake-up channel
 * so the other instances evict too (opsctl publishes there as well). A signal lost while Redis is down is covered
 * by the cache's short lifetime.
 */
public final class AccountChangeSignal implements AccountChanges {
    private static final Logger LOG = LoggerFactory.getLogger(AccountChangeSignal.class);

    /** What a cache does when told. Called on the writer's or lettuce's I/O thread: must be quick. */
    public interface Listener {
        void evict(long userId);

        void evictAll();
    }

    private final WakeupSignal wakeups;
    private final boolean distributed;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private WakeupSignal.Subscription subscription;

    AccountChangeSignal(WakeupSignal wakeups, boolean distributed) {
        this.wakeups = wakeups;
        this.distributed = distributed;
    }

    @Override
    public void changed(long userId) {
        listeners.forEach(l -> l.evict(userId));
        if (distributed) {
            wakeups.signal(TOPIC, Long.toString(userId));
        }
    }

    /** A change to many users at once (a bulk update outside the usual writers). */
    public void changedEveryone() {
        listeners.forEach(Listener::evictAll);
        if (distributed) {
            wakeups.signal(TOPIC, EVERYONE);
        }
    }

    /** Registers {@code listener}; the first registration subscribes to the other instances' changes. */
    public synchronized void listen(Listener listener) {
        listeners.add(listener);
        if (distributed && subscription == null) {
            subscription = wakeups.subscribeMessages(TOPIC, this::received);
        }
    }

    private void received(String message) {
        if (EVERYONE.equals(message)) {
            listeners.forEach(Listener::evictAll);
            return;
        }
        long userId;
        try {
            userId = Long.parseLong(message);
        } catch (NumberFormatException e) {
            // not ours: evicting everything is the safe answer to a message we cannot read
            LOG.warn("unreadable account change message on {}; evicting every cached user", TOPIC);
            listeners.forEach(Listener::evictAll);
            return;
        }
        listeners.forEach(l -> l.evict(userId));
    }

    synchronized void close() {
        if (subscription != null) {
            subscription.close();
            subscription = null;
        }
        listeners.clear();
    }
}
