package com.aiphoto.server.tasks;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of work a client can ask for (api.md "Tasks"); {@link #id()} is the wire and column value. */
public enum TaskType {
    BASIC_CLEAN("basic_clean", "QUOTA_COST_BASIC_CLEAN", "TASK_DEADLINE_BASIC_CLEAN"),
    MODEL_POSE12("model_pose12", "QUOTA_COST_MODEL_POSE12", "TASK_DEADLINE_MODEL_POSE12");

    private final String id;
    private final String costKey;
    private final String deadlineKey;

    TaskType(String id, String costKey, String deadlineKey) {
        this.id = id;
        this.costKey = costKey;
        this.deadlineKey = deadlineKey;
    }

    public String id() {
        return id;
    }

    /** The setting holding what one task of this type costs. */
    String costKey() {
        return costKey;
    }

    /** The setting holding how long a task of this type may take before it fails (and is refunded). */
    String deadlineKey() {
        return deadlineKey;
    }

    public static Optional<TaskType> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }
}
