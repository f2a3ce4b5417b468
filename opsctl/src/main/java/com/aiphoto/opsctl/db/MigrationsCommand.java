package com.aiphoto.opsctl.db;

import com.aiphoto.core.db.Migrations;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsDatabase;
import picocli.CommandLine.Mixin;

/**
 * Base of the db commands that work on the migrations: checks the command line ({@link #validate}), then opens
 * the database and builds the engine over --location (or the configured migrations) once, for {@link #run}.
 */
abstract class MigrationsCommand extends OpsCommand {
    @Mixin
    LocationOption location;

    /** Usage checks that need no database; runs first, so a bad command line never waits for a connection. */
    void validate() {}

    abstract int run(OpsDatabase db, Migrations migrations);

    @Override
    public final Integer call() {
        validate();
        try (OpsDatabase db = openDatabase()) {
            return run(db, db.migrations(settings(), location.location));
        }
    }
}
