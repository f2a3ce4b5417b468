package com.aiphoto.server.callbacks;

import com.aiphoto.core.config.Settings;
import com.aiphoto.server.Platform;
import io.helidon.webserver.http.HttpRules;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the callback endpoints: our workers' signed step callbacks ({@code /api/internal/tasks}) and
 * RunningHub's webhooks ({@code /api/callbacks/runninghub}), handing what they verified to the task engine. Replays
 * of worker callbacks are refused across instances through Redis when it is configured, else through the
 * {@code callback_replays} table, whose expired rows a recurring job purges.
 */
public final class CallbacksModule {
    static final String PURGE_JOB = "callback-replays-purge";
    static final Duration PURGE_PERIOD = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(CallbacksModule.class);

    private final InternalCallbackService internal;
    private final RunningHubWebhookService webhooks;

    private CallbacksModule(InternalCallbackService internal, RunningHubWebhookService webhooks) {
        this.internal = internal;
        this.webhooks = webhooks;
    }

    /** Call while the routing is built (the purge job joins the scheduler before it starts). */
    public static CallbacksModule create(Platform p, StepCallbacks steps, RunningHubWebhooks hooks) {
        Settings s = p.settings();
        Optional<byte[]> secret = s.find("INTERNAL_CALLBACK_SECRET").map(v -> v.getBytes(StandardCharsets.UTF_8));
        if (secret.isEmpty()) {
            // ConfigCheck refuses this in production
            LOG.warn("INTERNAL_CALLBACK_SECRET not set: every internal callback is refused (401)");
        }
        ReplayGuard replays;
        if (p.kv().distributed()) {
            replays = new KvReplayGuard(p.kv().keyValueStore(), p.clock());
        } else {
            DbReplayGuard db = new DbReplayGuard(p.database().jdbc(), p.clock());
            p.scheduling().recurring(PURGE_JOB, PURGE_PERIOD, db::purgeExpired);
            replays = db;
        }
        return new CallbacksModule(
                new InternalCallbackService(secret, replays, steps, p.json(), p.clock()),
                new RunningHubWebhookService(hooks));
    }

    /** Registers {@code /api/internal/tasks/...} and {@code /api/callbacks/runninghub/...}. */
    public void register(HttpRules rules) {
        rules.register("/api/internal/tasks", internal).register("/api/callbacks/runninghub", webhooks);
    }
}
