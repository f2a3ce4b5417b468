package com.aiphoto.opsctl.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Set;

/**
 * Prints entries: the raw JSON line under --json; otherwise one readable line (time, level, request id, logger,
 * message, and the exception's first line), and under -v the thread, the full logger, the other fields and the
 * whole stack trace below it.
 */
final class LogPrinter {
    private static final Set<String> SHOWN = Set.of(
            "@timestamp",
            "@version",
            "level",
            "level_value",
            "logger_name",
            "thread_name",
            "message",
            "stack_trace",
            "requestId");

    private final PrintWriter out;
    private final boolean json;
    private final boolean verbose;

    LogPrinter(PrintWriter out, boolean json, boolean verbose) {
        this.out = out;
        this.json = json;
        this.verbose = verbose;
    }

    void print(LogEntry e) {
        if (json || e.json() == null) {
            out.println(e.raw());
            return;
        }
        StringBuilder sb = new StringBuilder(160);
        sb.append(e.timestamp() == null ? "-" : e.timestamp()).append(' ');
        sb.append(String.format("%-5s", e.levelName() == null ? "?" : e.levelName()));
        if (e.requestId() != null) {
            sb.append(" [").append(e.requestId()).append(']');
        }
        sb.append(' ').append(verbose ? e.logger() : shortLogger(e.logger()));
        if (verbose && e.json().hasNonNull("thread_name")) {
            sb.append(" (").append(e.json().get("thread_name").asText()).append(')');
        }
        sb.append(": ").append(oneLine(e.message()));
        String trace = e.stackTrace();
        if (trace != null && !verbose) {
            sb.append(" -- ").append(oneLine(trace.lines().findFirst().orElse("")));
        }
        if (verbose) {
            for (Map.Entry<String, JsonNode> f : e.json().properties()) {
                if (!SHOWN.contains(f.getKey())) {
                    JsonNode v = f.getValue();
                    sb.append(' ').append(f.getKey()).append('=').append(v.isTextual() ? v.asText() : v.toString());
                }
            }
        }
        out.println(sb);
        if (verbose && trace != null) {
            trace.lines().forEach(l -> out.println("    " + l));
        }
    }

    void flush() {
        out.flush();
    }

    /** "com.aiphoto.server.auth.AuthService" -> "AuthService"; "access" stays. */
    private static String shortLogger(String logger) {
        if (logger == null) {
            return "-";
        }
        int dot = logger.lastIndexOf('.');
        return dot < 0 ? logger : logger.substring(dot + 1);
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("\\s*\\R\\s*", " ");
    }
}
