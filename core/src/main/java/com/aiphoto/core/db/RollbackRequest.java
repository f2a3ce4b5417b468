package com.aiphoto.core.db;

import java.time.Duration;

/**
 * A rollback: the last batch (default), the newest {@code steps} applied migrations, or everything above
 * version {@code to}.
 */
public record RollbackRequest(Mode mode, int steps, String to, String actor, Duration lockWait) {
    public enum Mode { LAST_BATCH, STEPS, TO }

    public static RollbackRequest lastBatch(String actor) {
        return new RollbackRequest(Mode.LAST_BATCH, 0, null, actor, Duration.ofSeconds(60));
    }
}
