package com.aiphoto.opsctl.logs;

import com.aiphoto.opsctl.cli.Json;
import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * One line of a server log as logstash-logback-encoder writes it: {@code @timestamp} (ISO with offset),
 * {@code level}, {@code logger_name}, {@code thread_name}, {@code message}, {@code stack_trace}, the MDC's
 * {@code requestId}, and for access lines {@code method}, {@code path}, {@code status}, {@code durationMs}. A line
 * that is not such JSON is kept as text, at the time of the line before it.
 */
record LogEntry(
        String raw,
        LogSource source,
        Instant time,
        String timestamp,
        int level,
        String levelName,
        String requestId,
        String logger,
        String message,
        String stackTrace,
        JsonNode json) {

    static final String[] LEVELS = {"TRACE", "DEBUG", "INFO", "WARN", "ERROR"};

    /** TRACE 0 .. ERROR 4, -1 when unknown. */
    static int level(String name) {
        if (name == null) {
            return -1;
        }
        String n = name.toUpperCase(Locale.ROOT);
        for (int i = 0; i < LEVELS.length; i++) {
            if (LEVELS[i].equals(n)) {
                return i;
            }
        }
        return n.equals("WARNING") ? 3 : -1;
    }

    static LogEntry parse(String raw, LogSource source, Instant previous) {
        JsonNode j = null;
        if (raw.startsWith("{")) {
            try {
                j = Json.read(raw);
            } catch (IllegalArgumentException e) {
                j = null;
            }
        }
        if (j == null || !j.isObject()) {
            return new LogEntry(raw, source, previous, null, -1, null, null, null, raw, null, null);
        }
        String ts = text(j, "@timestamp");
        Instant time = previous;
        if (ts != null) {
            try {
                time = OffsetDateTime.parse(ts).toInstant();
            } catch (DateTimeParseException e) {
                time = previous;
            }
        }
        String levelName = text(j, "level");
        return new LogEntry(
                raw,
                source,
                time,
                ts,
                level(levelName),
                levelName,
                text(j, "requestId"),
                text(j, "logger_name"),
                text(j, "message"),
                text(j, "stack_trace"),
                j);
    }

    private static String text(JsonNode j, String field) {
        JsonNode v = j.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    boolean isError() {
        return level == 4;
    }
}
