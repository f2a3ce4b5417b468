package com.aiphoto.server.platform;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/**
 * The access log's JSON lines, written by hand: logstash-logback-encoder's generic pipeline (a Jackson generator
 * and a provider chain per event) was ~15 % of the CPU profile of {@code /api/auth/me} (issue 16). The same
 * fields as the other files' {@code LogstashEncoder} ({@code @timestamp}, {@code @version}, {@code message},
 * {@code logger_name}, {@code thread_name}, {@code level}, {@code level_value}, the MDC, {@code stack_trace}),
 * plus each {@link Field} argument as a top-level field, as {@code keyValue} gave. The appender stays synchronous
 * and flushes each line, so a line is in the file once the request has been answered.
 */
final class AccessLogEncoder extends EncoderBase<ILoggingEvent> {
    /** One structured field of an access line; {@code toString} is what a plain message would show. */
    record Field(String name, Object value) {
        @Override
        public String toString() {
            return name + "=" + value;
        }
    }

    private static final byte[] NO_BYTES = new byte[0];
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.systemDefault());

    @Override
    public byte[] headerBytes() {
        return NO_BYTES;
    }

    @Override
    public byte[] footerBytes() {
        return NO_BYTES;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(320);
        b.append("{\"@timestamp\":\"");
        Instant at = event.getInstant();
        TIMESTAMP.formatTo(at != null ? at : Instant.ofEpochMilli(event.getTimeStamp()), b);
        b.append("\",\"@version\":\"1\",\"message\":");
        string(b, event.getFormattedMessage());
        b.append(",\"logger_name\":");
        string(b, event.getLoggerName());
        b.append(",\"thread_name\":");
        string(b, event.getThreadName());
        b.append(",\"level\":\"")
                .append(event.getLevel().levelStr)
                .append("\",\"level_value\":")
                .append(event.getLevel().levelInt);
        Map<String, String> mdc = event.getMDCPropertyMap();
        if (mdc != null) {
            for (Map.Entry<String, String> e : mdc.entrySet()) {
                b.append(',');
                string(b, e.getKey());
                b.append(':');
                string(b, e.getValue());
            }
        }
        Object[] args = event.getArgumentArray();
        if (args != null) {
            for (Object arg : args) {
                if (arg instanceof Field f) {
                    b.append(',');
                    string(b, f.name());
                    b.append(':');
                    value(b, f.value());
                }
            }
        }
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(",\"stack_trace\":");
            string(b, ThrowableProxyUtil.asString(thrown));
        }
        b.append("}\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void value(StringBuilder b, Object v) {
        if (v == null) {
            b.append("null");
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            b.append(((Number) v).longValue());
        } else if (v instanceof Double d && Double.isFinite(d)) {
            b.append(d.doubleValue());
        } else if (v instanceof Boolean bool) {
            b.append(bool.booleanValue());
        } else {
            string(b, v.toString());
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped (paths and ids come from clients). */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
