package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.aiphoto.server.TestServers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LoggingTest {
    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        Logging.configure(TestServers.settings(dir, Map.of()));
    }

    private static Level effective(String logger) {
        return ((LoggerContext) LoggerFactory.getILoggerFactory())
                .getLogger(logger)
                .getEffectiveLevel();
    }

    @Test
    void productionTraceNeverReachesTheDatabaseAndRedisClients() {
        // issue 8 #20: LOG_LEVEL=trace in production logged bcrypt hashes (dbclient parameters) and Redis commands
        Logging.configure(TestServers.settings(dir, Map.of("APP_ENV", "production", "LOG_LEVEL", "trace")));
        assertEquals(Level.TRACE, effective("com.aiphoto"));
        for (String leaky : new String[] {
            "io.helidon.dbclient", "io.helidon.dbclient.jdbc", "io.lettuce.core", "io.netty", "com.wechat.pay"
        }) {
            assertTrue(effective(leaky).isGreaterOrEqual(Level.INFO), leaky + " at " + effective(leaky));
        }
        Logging.configure(TestServers.settings(dir, Map.of("LOG_LEVEL", "trace")));
        assertEquals(Level.TRACE, effective("io.helidon.dbclient"), "outside production trace is allowed");
    }
}
