package com.aiphoto.opsctl.logs;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.platform.Logging;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Log files written by the server's own logging set-up (JSON lines, rolled and gzipped at LOG_MAX_FILE_SIZE), so
 * the tests read exactly what production writes. {@link #close()} flushes them (waiting for compression) and
 * gives the suite back opsctl's own logback.xml.
 */
final class ServerLogs implements AutoCloseable {
    final Path dir;

    ServerLogs(Path dir) {
        this.dir = dir;
    }

    static ServerLogs start(Path testDir, String maxFileSize) {
        Logging.configure(TestServers.settings(testDir, Map.of("LOG_MAX_FILE_SIZE", maxFileSize)));
        return new ServerLogs(testDir.resolve("logs"));
    }

    /** logback's own messages about rolling, compressing and deleting, for a failing assertion. */
    static String status() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        return ctx.getStatusManager().getCopyOfStatusList().stream()
                .map(Object::toString)
                .filter(m -> !m.contains("Setting up") && !m.contains("Will use"))
                .reduce("", (a, b) -> a + b + "\n");
    }

    private static volatile String lastStatus = "";

    static String lastStatus() {
        return lastStatus;
    }

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        lastStatus = status();
        ctx.stop(); // stops the appenders; compressions of earlier parts may still be running (the reader copes)
        ctx.reset();
        try {
            new ContextInitializer(ctx).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }
}
