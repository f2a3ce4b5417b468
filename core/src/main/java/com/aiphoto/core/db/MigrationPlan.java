package com.aiphoto.core.db;

import java.util.List;

/** What a migrate or rollback would run, in order, from the schema version it starts at. */
public record MigrationPlan(String currentVersion, List<MigrationStep> steps) {
    public boolean isEmpty() {
        return steps.isEmpty();
    }
}
