package com.aiphoto.core.db;

import java.time.Instant;
import java.util.List;

/**
 * The state of every migration known to the files or the database, oldest first, and who holds the lock.
 * States: applied, pending, running, failed, missing (applied, file gone), future (applied by a newer build),
 * checksum mismatch (file changed after it was applied), out of order (a file older than what is applied).
 */
public record MigrationStatus(String currentVersion, String lockHolder, List<Row> rows) {
    public static final String APPLIED = "applied";
    public static final String PENDING = "pending";
    public static final String RUNNING = "running";
    public static final String FAILED = "failed";
    public static final String MISSING = "missing";
    public static final String FUTURE = "future";
    public static final String CHECKSUM_MISMATCH = "checksum mismatch";
    public static final String OUT_OF_ORDER = "out of order";

    /**
     * {@code batch}, {@code appliedAt}, {@code durationMs} and {@code failure} are null when they do not apply;
     * {@code problem} says what is wrong (or, while running, where it is), null for applied and pending.
     */
    public record Row(
            String version,
            String description,
            String script,
            String state,
            Long batch,
            Instant appliedAt,
            Long durationMs,
            Failure failure,
            String problem) {
        /**
         * States that need an operator: everything but applied, pending, running and future. A future migration
         * (applied by a newer build, e.g. after a code rollback) is only a warning, as Flyway's default
         * {@code ignoreMigrationPatterns=*:future}: the older build's schema is a subset of what is there.
         */
        public boolean bad() {
            return !(APPLIED.equals(state) || PENDING.equals(state) || RUNNING.equals(state) || warning());
        }

        /** Worth a WARNING, not a CRITICAL. */
        public boolean warning() {
            return FUTURE.equals(state);
        }
    }

    /**
     * Where a run stopped: statement {@code statement} of {@code of} (line {@code line}) of the up or down
     * script. {@code interrupted}: the process died there, so whether that statement took effect is unknown.
     */
    public record Failure(
            String direction, int statement, int of, int line, String sql, String error, boolean interrupted) {
        public String describe(String script) {
            String where = script + (direction.equals("down") ? " (down)" : "") + " statement " + statement + " of "
                    + of + (line > 0 ? " (line " + line + ")" : "");
            return interrupted
                    ? where + " was interrupted (the process stopped; it may or may not have taken effect)"
                    : where + " failed: " + error;
        }
    }

    public long count(String state) {
        return rows.stream().filter(r -> r.state().equals(state)).count();
    }

    public List<Row> bad() {
        return rows.stream().filter(Row::bad).toList();
    }

    public List<Row> warnings() {
        return rows.stream().filter(Row::warning).toList();
    }
}
