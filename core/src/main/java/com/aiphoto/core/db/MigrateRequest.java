package com.aiphoto.core.db;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * A migrate: up to {@code target} (all when empty), by {@code actor} (recorded and shown to waiters), waiting
 * up to {@code lockWait} for another migrator. {@code beforeApply} runs under the lock once there is something
 * to apply (opsctl takes the pre-migration backup there) and returns the backup's name, if it made one.
 */
public record MigrateRequest(
        Optional<String> target,
        String actor,
        Duration lockWait,
        Function<MigrationPlan, Optional<String>> beforeApply) {
    public static MigrateRequest of(String actor) {
        return new MigrateRequest(Optional.empty(), actor, Duration.ofSeconds(60), p -> Optional.empty());
    }
}
