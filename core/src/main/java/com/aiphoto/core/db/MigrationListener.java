package com.aiphoto.core.db;

/** Progress of a migrate or rollback, for a CLI to print or a server to log. Called on the migrating thread. */
public interface MigrationListener {
    MigrationListener NONE = new MigrationListener() {};

    /** The lock is held by someone else; the message names them. */
    default void waiting(String message) {}

    /** Something the run goes on despite, e.g. a migration applied by a newer build. */
    default void warning(String message) {}

    default void stepStarted(MigrationStep step) {}

    default void statementStarted(MigrationStep step, SqlScript.Statement statement) {}

    default void stepFinished(MigrationBatch.Result result) {}
}
