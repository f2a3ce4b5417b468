package com.aiphoto.server.tasks;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.List;

/**
 * What the engine asks of whoever does a task's work (COS image processing, RunningHub, the local engines). The
 * engine calls one method per step, on a scheduler thread, with a time limit; each may be called again for the same
 * task (a retry, a revived execution), so each must be safe to repeat: {@link #submit} is the only call that starts
 * work at a vendor, and the engine stores its answer before anything else. Failures are
 * {@link ProviderException}s, transient (retried with back-off until the deadline) or permanent (the task fails and
 * is refunded).
 */
public interface Provider {
    /**
     * The task as a provider sees it. {@code webhookUrl} is where a vendor may announce the end of the work (with the
     * task's secret token); {@code pollStepIndex} is the step a worker's signed callback names.
     */
    record Job(
            String taskId,
            long userId,
            TaskType type,
            String inputKey,
            TaskParams params,
            String outputPrefix,
            URI webhookUrl,
            int pollStepIndex) {}

    /** Where the work is. */
    sealed interface Progress {
        /** queued or running: ask again later */
        record Running() implements Progress {}

        /** done: {@code outputs} is what {@link #fetch} needs (output URLs, keys), as JSON */
        record Done(JsonNode outputs) implements Progress {}

        /** failed for good, with a reason to show (short, no secrets) */
        record Failed(String reason) implements Progress {}
    }

    /** Starts the work; returns the vendor's id for it. */
    String submit(Job job);

    /** The state of the work {@link #submit} started. */
    Progress poll(Job job, String vendorTaskId);

    /**
     * Puts the results into storage under {@code job.outputPrefix()} and returns their keys, in order. Writing the same
     * keys again is harmless.
     */
    List<String> fetch(Job job, String vendorTaskId, JsonNode outputs);

    /** Chooses the provider of a task type (by configuration: COS or local, RunningHub or the local engine). */
    @FunctionalInterface
    interface Registry {
        Provider forType(TaskType type);
    }
}
