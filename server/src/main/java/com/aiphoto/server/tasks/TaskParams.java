package com.aiphoto.server.tasks;

/** A task's {@code params}: free text the providers turn into prompts, bounded in length; either may be null. */
public record TaskParams(String scene, String category) {
    static final int MAX_LENGTH = 200;

    static final TaskParams NONE = new TaskParams(null, null);
}
