package com.aiphoto.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import java.util.Collection;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Captures what a logger (and its children) logs while open, in memory, through logback's ListAppender: for code
 * that logs without files, e.g. opsctl. Messages are formatted as they would be written, stack traces included.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        appender.setContext(logger.getLoggerContext());
        appender.start();
        logger.addAppender(appender);
    }

    /** Captures everything (the root logger). */
    public static LogCapture all() {
        return of(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    /** Captures logger {@code name} and the loggers under it. */
    public static LogCapture of(String name) {
        if (!(LoggerFactory.getLogger(name) instanceof Logger logger)) {
            throw new IllegalStateException("logback is not the SLF4J binding on this classpath");
        }
        return new LogCapture(logger);
    }

    /** Each event as "LEVEL logger: message", followed by its stack trace if it has one. */
    public List<String> lines() {
        return events().stream()
                .map(e -> e.getLevel() + " " + e.getLoggerName() + ": "
                        + e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                                ? ""
                                : "\n" + ThrowableProxyUtil.asString(e.getThrowableProxy())))
                .toList();
    }

    public List<ILoggingEvent> events() {
        // the appender appends while holding its own monitor (AppenderBase.doAppend)
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** Fails when any of {@code secrets} occurs in what was captured (see {@link LogFiles#assertNoSecret}). */
    public void assertNoSecret(Collection<String> secrets) {
        LogFiles.assertNoSecret(String.join("\n", lines()), secrets);
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
