package com.aiphoto.opsctl.health;

import com.aiphoto.opsctl.health.Observation.State;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * {@code health --wait} for one API instance, as {@code opsctl upgrade} needs it after a restart: the same
 * probes of {@code /health} and readiness, the same rounds, until neither fails or the wait is over.
 */
public final class InstanceHealth {
    /** {@code healthy}: no check failed (a warning, e.g. Redis degraded, is healthy, as for health --wait). */
    public record Outcome(boolean healthy, String summary) {}

    private InstanceHealth() {}

    public static Outcome await(
            URI api, URI readiness, Duration wait, Duration timeout, BiConsumer<Duration, String> waiting) {
        Duration http = timeout.compareTo(Duration.ofSeconds(4)) > 0 ? Duration.ofSeconds(4) : timeout;
        List<Probe> probes = List.of(ServerProbes.api(api, http), ServerProbes.readiness(readiness, http));
        HealthReport report = HealthRun.untilNotFailing(probes, timeout, wait, waiting);
        return new Outcome(report.state() != State.FAIL, report.summary());
    }
}
