package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import com.aiphoto.server.TestServers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
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

    private static final Pattern ROLLED_PART = Pattern.compile("combined\\.\\d{4}-\\d{2}-\\d{2}\\.(\\d+)\\.log\\.gz");

    /**
     * Rollovers milliseconds apart keep every rolled part. logback's clean-ups of old archives ran concurrently on
     * one shared calendar and deleted parts just rolled as "historically stale" (about 1 opsctl LogsCommandTest run
     * in 5 lost its first parts); SerialLogCleaning makes each rollover wait for its clean-up.
     */
    @Test
    void rolloversMillisecondsApartKeepEveryPartAndEveryLine() throws Exception {
        org.slf4j.Logger log = LoggerFactory.getLogger("com.aiphoto.test.Roller");
        for (int round = 0; round < 30; round++) {
            Path logs = dir.resolve("round" + round);
            Logging.configure(
                    TestServers.settings(dir, Map.of("LOG_DIR", logs.toString(), "LOG_MAX_FILE_SIZE", "4KB")));
            for (int i = 0; i < 400; i++) {
                log.info("line {} {}", i, "padding to roll often ".repeat(2));
            }
            Logging.configure(TestServers.settings(dir, Map.of())); // stops the appenders on logs
            awaitCompressions(logs);

            TreeSet<Integer> parts = new TreeSet<>();
            int lines = countLines(logs.resolve("combined.log"));
            try (Stream<Path> files = Files.list(logs)) {
                for (Path f : files.toList()) {
                    Matcher m = ROLLED_PART.matcher(f.getFileName().toString());
                    if (m.matches()) {
                        parts.add(Integer.parseInt(m.group(1)));
                        lines += countLines(f);
                    }
                }
            }
            assertTrue(parts.size() >= 10, "rolled often: " + parts);
            assertEquals(parts.last() + 1, parts.size(), "round " + round + ": no part missing: " + parts);
            assertEquals(400, lines, "round " + round + ": every line once");
        }
    }

    private static void awaitCompressions(Path logs) throws IOException, InterruptedException {
        for (int i = 0; i < 200; i++) {
            try (Stream<Path> files = Files.list(logs)) {
                if (files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp"))) {
                    return;
                }
            }
            Thread.sleep(50);
        }
    }

    private static int countLines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (InputStream in = file.toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file))
                : Files.newInputStream(file)) {
            return (int) new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .filter(l -> l.contains("\"line "))
                    .count();
        }
    }
}
