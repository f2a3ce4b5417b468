package com.aiphoto.core.db;

/**
 * One migration to run in one direction. {@code startAt} statements are already applied (a re-run after a
 * failure continues after them); {@code tolerant} undoes a migration that stopped part-way, so down statements
 * that find their object absent (never created) are skipped.
 */
public record MigrationStep(
        String version,
        String description,
        String script,
        Direction direction,
        SqlScript sql,
        int startAt,
        boolean tolerant,
        Integer checksum) {
    public enum Direction {
        UP,
        DOWN;

        String column() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** "V3__add_parts.sql" or "V3__add_parts.sql (down)". */
    public String label() {
        return script + (direction == Direction.DOWN ? " (down)" : "");
    }
}
