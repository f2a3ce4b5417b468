package com.aiphoto.core.db;

import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Flyway over the SQL in {@code migrations/up} (bundled as {@code classpath:db/migration}). The server applies
 * them on start outside production; in production only opsctl migrates and the server reports pending ones.
 */
public final class Migrations {
    public static final String DEFAULT_LOCATION = "classpath:db/migration";

    private final Flyway flyway;

    public Migrations(DataSource dataSource, String... locations) {
        this.flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(dataSource)
                .locations(locations.length == 0 ? new String[] {DEFAULT_LOCATION} : locations)
                .cleanDisabled(true)
                .failOnMissingLocations(false)
                .validateMigrationNaming(true)
                .loggers("slf4j")
                .load();
    }

    /** Migrations in the files that the database has not applied yet, oldest first. */
    public List<MigrationInfo> pending() {
        return Arrays.asList(flyway.info().pending());
    }

    public MigrateResult migrate() {
        return flyway.migrate();
    }

    /** The applied schema version, or "none". */
    public String currentVersion() {
        MigrationInfo current = flyway.info().current();
        return current == null || current.getVersion() == null ? "none" : current.getVersion().getVersion();
    }

    public Flyway flyway() {
        return flyway;
    }
}
