package com.aiphoto.core.db;

import java.util.List;

/**
 * What one migrate or rollback did. {@code id} is the batch number in the history (0 when there was nothing to
 * do); {@code backup} names the backup taken before it, if any.
 */
public record MigrationBatch(long id, String fromVersion, String toVersion, List<Result> results, String backup) {
    /** One migration run: how long it took, how many statements ran, which down statements were skipped. */
    public record Result(MigrationStep step, long durationMs, int statementsRun, List<String> skipped) {}
}
