package com.aiphoto.opsctl.db;

import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationVersion;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** --target / --to: a migration version as Flyway reads it ("7", "1.2"); anything else is a usage error. */
final class VersionConverter implements ITypeConverter<String> {
    @Override
    public String convert(String value) {
        try {
            MigrationVersion.fromVersion(value);
            return value;
        } catch (FlywayException | IllegalArgumentException e) {
            throw new TypeConversionException("'" + value + "' is not a migration version (e.g. 7 or 1.2)");
        }
    }
}
