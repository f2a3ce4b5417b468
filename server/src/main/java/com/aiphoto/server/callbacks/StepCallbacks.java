package com.aiphoto.server.callbacks;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a verified internal worker callback does: the task engine implements it. The callbacks service has
 * already checked the signature, the skew and replays.
 */
public interface StepCallbacks {
    /** What became of a callback. */
    enum Result {
        /** the step's outcome was recorded and the task's execution rescheduled to now */
        APPLIED,
        /** the step had already finished: 200, no effect */
        ALREADY_FINISHED,
        /** no such task or step: 404 */
        NOT_FOUND
    }

    /** A handler that knows no task (until the engine is wired). */
    StepCallbacks NONE = (taskId, stepIndex, completed, output, errorMessage) -> Result.NOT_FOUND;

    /**
     * Step {@code stepIndex} of task {@code taskId} ended: {@code completed} (with its {@code output}) or failed
     * (with {@code errorMessage}).
     */
    Result stepFinished(String taskId, int stepIndex, boolean completed, JsonNode output, String errorMessage);
}
