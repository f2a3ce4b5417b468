package com.aiphoto.opsctl.logs;

import java.time.Instant;

/**
 * The selection: lowest level, time window (since inclusive, until exclusive), request id (every line logged
 * under it, its access line included: the access line is written while the id is still in the MDC), and a
 * plain-text search in the message, the logger and the stack trace.
 */
record LogFilter(int minLevel, Instant since, Instant until, String requestId, String grep) {
    boolean test(LogEntry e) {
        if (minLevel > 0 && e.level() >= 0 && e.level() < minLevel) {
            return false;
        }
        if (minLevel > 0 && e.level() < 0 && e.json() != null) {
            return false;
        }
        if (since != null && (e.time() == null || e.time().isBefore(since))) {
            return false;
        }
        if (until != null && e.time() != null && !e.time().isBefore(until)) {
            return false;
        }
        if (requestId != null && !requestId.equals(e.requestId())) {
            return false;
        }
        return grep == null
                || contains(e.message(), grep)
                || contains(e.logger(), grep)
                || contains(e.stackTrace(), grep);
    }

    private static boolean contains(String s, String part) {
        return s != null && s.contains(part);
    }
}
