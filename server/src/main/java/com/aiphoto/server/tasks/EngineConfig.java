package com.aiphoto.server.tasks;

import com.aiphoto.core.config.Settings;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/** The engine's timing (application.yaml, "Tasks and AI providers"). */
record EngineConfig(
        Map<TaskType, Duration> deadlines,
        Map<TaskType, Integer> costs,
        Duration pollInterval,
        Duration retryBackoff,
        Duration retryBackoffMax,
        int maxAttempts,
        Duration stepTimeout) {

    static EngineConfig from(Settings s) {
        Map<TaskType, Duration> deadlines = new EnumMap<>(TaskType.class);
        Map<TaskType, Integer> costs = new EnumMap<>(TaskType.class);
        for (TaskType t : TaskType.values()) {
            deadlines.put(t, s.duration(t.deadlineKey()));
            costs.put(t, s.integer(t.costKey()));
        }
        return new EngineConfig(
                deadlines,
                costs,
                s.duration("TASK_POLL_INTERVAL"),
                s.duration("TASK_RETRY_BACKOFF"),
                s.duration("TASK_RETRY_BACKOFF_MAX"),
                s.integer("TASK_MAX_ATTEMPTS"),
                s.duration("TASK_STEP_TIMEOUT"));
    }

    Duration deadline(TaskType t) {
        return deadlines.get(t);
    }

    int cost(TaskType t) {
        return costs.get(t);
    }

    /** The wait after the n-th failed attempt in a row (n >= 1): backoff x 2^(n-1), at most the maximum. */
    Duration backoff(int attempts) {
        int doublings = Math.min(Math.max(attempts - 1, 0), 20);
        Duration d = retryBackoff.multipliedBy(1L << doublings);
        return d.compareTo(retryBackoffMax) > 0 ? retryBackoffMax : d;
    }
}
