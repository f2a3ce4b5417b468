package com.aiphoto.server;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.LogFiles;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;

/** After a test: none of its secrets in a captured log line, a server's log files or an audit_logs row. */
public final class NoSecrets {
    private NoSecrets() {}

    public static void assertNone(LogCapture logs, List<Path> logDirs, Jdbc jdbc, Collection<String> secrets) {
        logs.assertNoSecret(secrets);
        for (Path dir : logDirs) {
            LogFiles.assertNoSecretIn(dir, secrets);
        }
        for (String row : jdbc.query(
                "SELECT CONCAT(COALESCE(details, ''), ' ', COALESCE(resource_id, ''), ' ', COALESCE(user_agent, ''))"
                        + " FROM audit_logs",
                r -> r.getString(1))) {
            for (String s : secrets) {
                assertFalse(row.contains(s), "an audit row holds a secret: " + row);
            }
        }
    }
}
