package com.aiphoto.server.platform;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.jul.LevelChangePropagator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.TimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import com.aiphoto.core.config.Settings;
import java.nio.file.Path;
import java.util.Locale;
import net.logstash.logback.encoder.LogstashEncoder;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Configures logback from the settings, replacing whatever was there: JSON lines in {@code LOG_DIR}
 * ({@code combined.log}, {@code error.log} with errors only, {@code access.log}), each rolled daily or at
 * {@code LOG_MAX_FILE_SIZE} with a total cap, plus readable console output outside production.
 */
public final class Logging {
    private Logging() {}

    /** Routes java.util.logging (Helidon, Hikari's JUL users) into SLF4J. Idempotent. */
    public static void bridgeJul() {
        if (!SLF4JBridgeHandler.isInstalled()) {
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
    }

    /**
     * Before the configuration is known: warnings and errors only, on stderr. Without it logback's default set-up
     * writes DEBUG to stdout (e.g. the JDK's Runtime.exit trace when a bad configuration is refused).
     */
    public static void bootstrap() {
        bridgeJul();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        propagateToJul(ctx);
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        ConsoleAppender<ILoggingEvent> err = console(ctx);
        err.stop();
        err.setTarget("System.err");
        err.start();
        root.addAppender(err);
    }

    private static void propagateToJul(LoggerContext ctx) {
        LevelChangePropagator jul = new LevelChangePropagator();
        jul.setContext(ctx);
        jul.setResetJUL(true);
        jul.start();
        ctx.addListener(jul);
    }

    /** cos_api's HTTP client logger, which writes request headers (credentials) on failures. */
    static final String COS_HTTP_CLIENT = "com.qcloud.cos.http.DefaultCosHttpClient";

    public static void configure(Settings s) {
        bridgeJul();
        LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
        ctx.reset();
        propagateToJul(ctx);

        Path dir = Path.of(s.get("LOG_DIR"));
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(s.get("LOG_LEVEL").toUpperCase(Locale.ROOT), Level.INFO));
        root.addAppender(file(ctx, s, dir, "combined", null, logstash()));
        root.addAppender(file(ctx, s, dir, "error", Level.ERROR, logstash()));

        var access = ctx.getLogger("access");
        access.setAdditive(false);
        access.setLevel(Level.INFO);
        access.addAppender(file(ctx, s, dir, "access", null, new AccessLogEncoder()));

        if (!s.isProduction()) {
            Appender<ILoggingEvent> console = console(ctx);
            root.addAppender(console);
            access.addAppender(console);
        }
        // chatty libraries stay at WARN unless asked for debug
        for (String noisy : new String[] {"com.zaxxer.hikari", "io.lettuce", "io.netty", "org.flywaydb"}) {
            ctx.getLogger(noisy).setLevel(root.getLevel().isGreaterOrEqual(Level.INFO) ? Level.WARN : root.getLevel());
        }
        ctx.getLogger("org.flywaydb.core.internal.command").setLevel(Level.INFO);
        // cos_api logs every failed request at ERROR with its full Authorization header (the SecretId and a signature
        // valid for an hour): off at every level; our storage and image-processing code reports COS failures itself
        ctx.getLogger(COS_HTTP_CLIENT).setLevel(Level.OFF);
        if (s.isProduction()) {
            // below INFO these write statement parameters (bcrypt hashes, phones), Redis commands (code HMACs) and
            // WeChat Pay's signed messages and Authorization tokens (the SDK's debug lines)
            for (String leaky : new String[] {"io.helidon.dbclient", "io.lettuce", "io.netty", "com.wechat.pay"}) {
                var logger = ctx.getLogger(leaky);
                if (!logger.getEffectiveLevel().isGreaterOrEqual(Level.INFO)) {
                    logger.setLevel(Level.INFO);
                }
            }
        }
    }

    private static Encoder<ILoggingEvent> logstash() {
        LogstashEncoder encoder = new LogstashEncoder();
        encoder.setIncludeContext(false);
        return encoder;
    }

    private static Appender<ILoggingEvent> file(
            LoggerContext ctx, Settings s, Path dir, String name, Level threshold, Encoder<ILoggingEvent> encoder) {
        RollingFileAppender<ILoggingEvent> a = new RollingFileAppender<>();
        a.setContext(ctx);
        a.setName(name);
        a.setFile(dir.resolve(name + ".log").toString());

        // SizeAndTimeBasedRollingPolicy's parts, with rollovers that wait for their clean-up (SerialLogCleaning)
        TimeBasedRollingPolicy<ILoggingEvent> policy = new TimeBasedRollingPolicy<>();
        policy.setContext(ctx);
        policy.setParent(a);
        policy.setFileNamePattern(
                dir.resolve(name + ".%d{yyyy-MM-dd}.%i.log.gz").toString());
        SerialLogCleaning<ILoggingEvent> naming = new SerialLogCleaning<>();
        naming.setMaxFileSize(new FileSize(s.bytes("LOG_MAX_FILE_SIZE")));
        policy.setTimeBasedFileNamingAndTriggeringPolicy(naming);
        policy.setMaxHistory(s.integer("LOG_MAX_HISTORY_DAYS"));
        policy.setTotalSizeCap(new FileSize(s.bytes("LOG_TOTAL_SIZE_CAP")));
        policy.start();
        a.setRollingPolicy(policy);

        encoder.setContext(ctx);
        encoder.start();
        a.setEncoder(encoder);
        if (threshold != null) {
            ThresholdFilter f = new ThresholdFilter();
            f.setLevel(threshold.levelStr);
            f.start();
            a.addFilter(f);
        }
        a.start();
        return a;
    }

    private static ConsoleAppender<ILoggingEvent> console(LoggerContext ctx) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern(
                "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX, UTC} %-5level [%X{requestId:-}] %logger{24} - %msg%n%ex{short}");
        enc.start();
        ConsoleAppender<ILoggingEvent> c = new ConsoleAppender<>();
        c.setContext(ctx);
        c.setName("console");
        c.setEncoder(enc);
        c.start();
        return c;
    }
}
