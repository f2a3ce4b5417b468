package com.aiphoto.opsctl.db;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --location for the db commands: run migrations from a folder instead of those bundled in the jar. */
final class LocationOption {
    @Option(
            names = "--location",
            paramLabel = "DIR",
            description = "Migrations folder holding up/ and down/ (default: the migrations bundled in opsctl,"
                    + " or MIGRATIONS_LOCATION).")
    Path location;
}
