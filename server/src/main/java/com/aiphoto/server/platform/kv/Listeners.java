package com.aiphoto.server.platform.kv;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Wake-up callbacks by topic, in this process. Dispatch is lock-free; a failing callback does not stop the rest. */
final class Listeners {
    private static final Logger LOG = LoggerFactory.getLogger(Listeners.class);

    /** One registration; identity matters, so the same Runnable may be subscribed twice. */
    static final class Handle {
        final String topic;
        final Consumer<String> onSignal;

        private Handle(String topic, Consumer<String> onSignal) {
            this.topic = topic;
            this.onSignal = onSignal;
        }
    }

    private final ConcurrentMap<String, Set<Handle>> byTopic = new ConcurrentHashMap<>();

    Handle add(String topic, Consumer<String> onSignal) {
        Handle h = new Handle(topic, onSignal);
        byTopic.computeIfAbsent(topic, t -> ConcurrentHashMap.newKeySet()).add(h);
        return h;
    }

    /** Removes {@code h}; true when it was the topic's last registration. */
    boolean remove(Handle h) {
        boolean[] last = {false};
        byTopic.computeIfPresent(h.topic, (t, set) -> {
            set.remove(h);
            last[0] = set.isEmpty();
            return set.isEmpty() ? null : set;
        });
        return last[0];
    }

    boolean has(String topic) {
        return byTopic.containsKey(topic);
    }

    String[] topics() {
        return byTopic.keySet().toArray(String[]::new);
    }

    void dispatch(String topic, String message) {
        for (Handle h : byTopic.getOrDefault(topic, Set.of())) {
            try {
                h.onSignal.accept(message);
            } catch (RuntimeException e) {
                LOG.warn("wake-up callback for {} failed", topic, e);
            }
        }
    }

    void clear() {
        byTopic.clear();
    }
}
