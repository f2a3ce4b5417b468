package com.aiphoto.core.db;

import java.util.List;

/**
 * What a migrate or rollback would run, in order, from the schema version it starts at; {@code warnings} are
 * what it goes on despite (migrations applied by a newer build).
 */
public record MigrationPlan(String currentVersion, List<MigrationStep> steps, List<String> warnings) {
    public MigrationPlan(String currentVersion, List<MigrationStep> steps) {
        this(currentVersion, steps, List.of());
    }

    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
