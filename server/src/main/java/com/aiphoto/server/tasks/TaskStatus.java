package com.aiphoto.server.tasks;

import java.util.Arrays;
import java.util.Optional;

/** What clients see: {@code pending -> processing -> succeeded | failed}. */
public enum TaskStatus {
    PENDING("pending"),
    PROCESSING("processing"),
    SUCCEEDED("succeeded"),
    FAILED("failed");

    private final String id;

    TaskStatus(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean finished() {
        return this == SUCCEEDED || this == FAILED;
    }

    public static Optional<TaskStatus> of(String id) {
        return Arrays.stream(values()).filter(t -> t.id.equals(id)).findFirst();
    }
}
