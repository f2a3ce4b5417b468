package com.aiphoto.server.callbacks;

/**
 * A RunningHub webhook arrived for a task. It is unsigned, so it is only a hint: the engine checks the per-task
 * token and, when it matches, reschedules the task's execution to now, which confirms through
 * {@code /task/openapi/outputs}. Nothing in the webhook's body is trusted.
 */
public interface RunningHubWebhooks {
    /** A handler that knows no task (until the engine is wired). */
    RunningHubWebhooks NONE = (taskId, token) -> false;

    /** True when {@code token} is task {@code taskId}'s webhook secret (constant-time compare); false otherwise. */
    boolean hint(String taskId, String token);
}
