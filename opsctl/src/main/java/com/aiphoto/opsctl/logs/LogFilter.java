package com.aiphoto.opsctl.logs;

import java.time.Duration;
import java.time.Instant;

/**
 * The selection: lowest level, time window (since inclusive, until exclusive), request id (every line logged
 * under it, its access line included: the access line is written while the id is still in the MDC), and a
 * plain-text search in the message, the logger and the stack trace.
 */
record LogFilter(int minLevel, Instant since, Instant until, String requestId, String grep) {
    static final LogFilter ALL = new LogFilter(-1, null, null, null, null);

    /**
     * How long after {@code until} a log is still read: lines are appended in about, not exactly, time order
     * (an event's time is taken before it waits for the file), so reading stops only well past it.
     */
    static final Duration UNTIL_SLACK = Duration.ofMinutes(1);

    /**
     * A cheap test on the raw line, before it is parsed: false only for lines {@link #test} would reject, i.e.
     * the request id or the search text (when JSON writes them as they are: no quote, backslash or control
     * character) is not in the line at all. Most lines of a large log fail it, and are never parsed.
     */
    boolean mayMatch(String raw) {
        return (requestId == null || !verbatim(requestId) || raw.contains(requestId))
                && (grep == null || !verbatim(grep) || raw.contains(grep));
    }

    private static boolean verbatim(String s) {
        return s.chars().noneMatch(c -> c == '"' || c == '\\' || c < 0x20);
    }

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
