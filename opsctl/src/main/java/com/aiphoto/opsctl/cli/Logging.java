package com.aiphoto.opsctl.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import org.slf4j.LoggerFactory;

/** logback.xml keeps opsctl quiet (WARN+ on stderr, one line each); -v lowers the levels, with stack traces. */
public final class Logging {
    private static final String VERBOSE_PATTERN = "opsctl: %-5level %logger{20} - %msg%n";

    private Logging() {}

    public static void verbose() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx)) {
            return;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.DEBUG);
        ctx.getLogger("com.zaxxer.hikari").setLevel(null); // inherit DEBUG
        if (root.getAppender("STDERR") instanceof OutputStreamAppender<ILoggingEvent> stderr) {
            PatternLayoutEncoder withTraces = new PatternLayoutEncoder();
            withTraces.setContext(ctx);
            withTraces.setPattern(VERBOSE_PATTERN);
            withTraces.start();
            stderr.setEncoder(withTraces);
        }
    }
}
