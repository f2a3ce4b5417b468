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

    @Override
    public void close() {
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.stop(); // stops the appenders; compressions of earlier parts may still be running (the reader copes)
        ctx.reset();
        try {
            new ContextInitializer(ctx).autoConfig();
        } catch (JoranException e) {
            throw new IllegalStateException(e);
        }
    }
}
