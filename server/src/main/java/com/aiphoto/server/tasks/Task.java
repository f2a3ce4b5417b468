package com.aiphoto.server.tasks;

import java.time.Instant;
import java.util.List;

/** A {@code tasks} row: what the client asked for and where the engine is with it. */
record Task(
        String id,
        long userId,
        TaskType type,
        TaskStatus status,
        Step step,
        int stepIndex,
        String inputKey,
        TaskParams params,
        List<String> resultKeys,
        String errorMessage,
        String vendorTaskId,
        String engineState,
        String webhookTokenHash,
        int quotaCost,
        int attempts,
        Instant deadlineAt,
        String idempotencyKey,
        Instant createdAt,
        Instant updatedAt,
        Instant completedAt) {

    /** Where the task's results go: {@code output/<taskId>/}. */
    String outputPrefix() {
        return outputPrefix(id);
    }

    static String outputPrefix(String taskId) {
        return "output/" + taskId + "/";
    }
}
