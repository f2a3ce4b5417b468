package com.aiphoto.core.db;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.testing.MigrationFixtures;
import com.aiphoto.core.testing.Schemas;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * up -> down -> up of every migration leaves the same schema, compared as SHOW CREATE TABLE of every table on
 * the real database: after each up the schema is recorded, each down must give back the one before, and
 * applying everything again must give the same final schema. Runs over the real migrations (whatever
 * migrations/up holds) and over a fixture set, so it asserts something even while the real set is small.
 */
class SchemaRoundTripTest {
    @ParameterizedTest
    @ValueSource(strings = {Migrations.DEFAULT_LOCATION, "classpath:db/engine/basic/up"})
    void upDownUpLeavesTheSameSchema(String location) {
        try (TestDatabases.Scratch db = TestDatabases.create("roundtrip");
                HikariDataSource ds = DataSources.create(DatabaseSettings.from(Settings.of(db.settings())), "rt")) {
            Migrations m = new Migrations(ds, MigrationScripts.at(location), Clock.systemUTC());
            List<String> versions =
                    m.pending().stream().map(i -> i.getVersion().getVersion()).toList();
            if (location.equals(MigrationFixtures.location("basic"))) {
                assertEquals(List.of("1", "2", "3"), versions);
            }
            List<Map<String, String>> schemas = new ArrayList<>();
            schemas.add(Schemas.tables(db));
            for (String v : versions) {
                m.migrate(
                        new MigrateRequest(Optional.of(v), "round trip", Duration.ofSeconds(5), p -> Optional.empty()),
                        MigrationListener.NONE);
                schemas.add(Schemas.tables(db));
            }
            for (int i = versions.size(); i > 0; i--) {
                m.rollback(
                        new RollbackRequest(RollbackRequest.Mode.STEPS, 1, null, "round trip", Duration.ofSeconds(5)),
                        MigrationListener.NONE);
                assertEquals(schemas.get(i - 1), Schemas.tables(db), "after undoing V" + versions.get(i - 1));
            }
            m.migrate(MigrateRequest.of("round trip"), MigrationListener.NONE);
            assertEquals(schemas.getLast(), Schemas.tables(db), "up again");
            assertEquals(List.of(), m.pending());
        }
    }
}
