package com.aiphoto.server.tasks;

import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Tag;
import io.helidon.metrics.api.Timer;
import java.time.Duration;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The engine's meters, served with the others at {@code /observe/metrics} on the admin port: tasks created and
 * finished by type and outcome, step latency by type and step, refunds, and the queue depth (unfinished tasks,
 * counted in the database at most every few seconds, so a scrape never queries more than that).
 */
final class TaskMetrics {
    static final String CREATED = "ai_photo_tasks_created";
    static final String FINISHED = "ai_photo_tasks_finished";
    static final String REFUNDS = "ai_photo_task_refunds";
    static final String STEP = "ai_photo_task_step_seconds";
    static final String QUEUE = "ai_photo_task_queue_depth";
    private static final long QUEUE_CACHE_NANOS = Duration.ofSeconds(2).toNanos();

    private final MeterRegistry registry;
    private final LongSupplier unfinished;
    private long cachedAt;
    private long cached;
    private boolean hasCache;

    TaskMetrics(MeterRegistry registry, LongSupplier unfinished) {
        this.registry = registry;
        this.unfinished = unfinished;
        // the registry is the process's: a gauge of an earlier server in this JVM (tests) would read a closed pool
        registry.remove(QUEUE, List.of());
        registry.getOrCreate(
                Gauge.builder(QUEUE, this::queueDepth).description("Tasks pending or processing (all instances)"));
    }

    void created(TaskType type) {
        counter(CREATED, "Tasks created", Tag.create("type", type.id())).increment();
    }

    void finished(TaskType type, TaskStatus outcome) {
        counter(FINISHED, "Tasks finished", Tag.create("type", type.id()), Tag.create("outcome", outcome.id()))
                .increment();
    }

    void refunded(TaskType type) {
        counter(REFUNDS, "Quota refunds of failed tasks", Tag.create("type", type.id()))
                .increment();
    }

    void step(TaskType type, Step step, Duration took, String result) {
        registry.getOrCreate(Timer.builder(STEP)
                        .description("Latency of one engine step")
                        .tags(List.of(
                                Tag.create("type", type.id()),
                                Tag.create("step", step.id()),
                                Tag.create("result", result))))
                .record(took);
    }

    private Counter counter(String name, String description, Tag... tags) {
        return registry.getOrCreate(
                Counter.builder(name).description(description).tags(List.of(tags)));
    }

    synchronized Long queueDepth() {
        long now = System.nanoTime();
        if (!hasCache || now - cachedAt > QUEUE_CACHE_NANOS) {
            try {
                cached = unfinished.getAsLong();
                cachedAt = now;
                hasCache = true;
            } catch (RuntimeException e) {
                // a scrape during a database outage shows the last count rather than failing
                return hasCache ? cached : -1L;
            }
        }
        return cached;
    }
}
