package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.testing.TestDatabases;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The request pool's statement timeout holds for both ways of running SQL, through both drivers. */
class DatabaseTest {
    @ParameterizedTest
    @ValueSource(strings = {"mysql", "mariadb"})
    void aSlowStatementIsCancelledAfterTheQueryTimeout(String driver) {
        try (TestDatabases.Scratch scratch = TestDatabases.create("timeout");
                Database db = new Database(settings(scratch, driver))) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                RuntimeException viaClient = assertThrows(
                        RuntimeException.class,
                        () -> db.client()
                                .execute()
                                .createQuery("SELECT SLEEP(30) AS s")
                                .execute()
                                .toList());
                assertTrue(ErrorMapping.isUnavailable(viaClient), "DbClient: " + viaClient);
                RuntimeException viaJdbc = assertThrows(
                        RuntimeException.class, () -> db.jdbc().query("SELECT SLEEP(30) AS s", r -> r.getInt(1)));
                assertTrue(ErrorMapping.isUnavailable(viaJdbc), "Jdbc: " + viaJdbc);
            });
            assertEquals(1, db.jdbc().queryOne("SELECT 1", r -> r.getInt(1)).orElseThrow(), "the pool still works");
        }
    }

    private static DatabaseSettings settings(TestDatabases.Scratch scratch, String driver) {
        Map<String, String> m = new HashMap<>(scratch.settings(driver));
        m.put("DB_QUERY_TIMEOUT", "1s");
        // far above the sleep: only the statement timeout can end it within the test's bound
        m.put("DB_SOCKET_TIMEOUT", "60s");
        return DatabaseSettings.from(Settings.of(m));
    }
}
