package com.aiphoto.core.db;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A rollback: the last batch (default), the newest {@code steps} applied migrations, or everything above
 * version {@code to}. {@code beforeApply} runs under the lock once there is something to undo, as for
 * {@link MigrateRequest} (opsctl takes the pre-rollback backup there), and returns the backup's name, if any.
 */
public record RollbackRequest(
        Mode mode,
        int steps,
        String to,
        String actor,
        Duration lockWait,
        Function<MigrationPlan, Optional<String>> beforeApply) {
    public enum Mode {
        LAST_BATCH,
        STEPS,
        TO
    }

    public RollbackRequest(Mode mode, int steps, String to, String actor, Duration lockWait) {
        this(mode, steps, to, actor, lockWait, p -> Optional.empty());
    }

    public static RollbackRequest lastBatch(String actor) {
        return new RollbackRequest(Mode.LAST_BATCH, 0, null, actor, Duration.ofSeconds(60));
    }

    public RollbackRequest withBeforeApply(Function<MigrationPlan, Optional<String>> hook) {
        return new RollbackRequest(mode, steps, to, actor, lockWait, hook);
    }
}
