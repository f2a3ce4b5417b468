package com.aiphoto.opsctl.logs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Every ERROR line is in combined.log and in error.log, byte for byte (one event, one encoder config). The
 * merge puts the two copies next to each other in time, so a copy is dropped when its twin from the other file
 * was seen within {@link #WINDOW}; memory holds only the error lines of that window. An error whose
 * combined.log part was already deleted by the size cap is still shown, from error.log.
 */
final class ErrorDedup {
    static final Duration WINDOW = Duration.ofSeconds(10);

    private record Seen(String raw, LogSource source, Instant time) {}

    /** Every unmatched copy seen within the window, oldest first, for eviction. */
    private final Deque<Seen> recent = new ArrayDeque<>();
    /** Unmatched copies per file; a raw line carries its timestamp, so equal lines have equal times. */
    private final Map<String, Integer> fromCombined = new HashMap<>();

    private final Map<String, Integer> fromError = new HashMap<>();

    /** True when {@code e} is the second copy of a line already passed. */
    boolean duplicate(LogEntry e) {
        if (e.source() == LogSource.ACCESS || !e.isError() || e.time() == null) {
            return false;
        }
        Instant horizon = e.time().minus(WINDOW);
        while (!recent.isEmpty() && recent.peekFirst().time().isBefore(horizon)) {
            Seen old = recent.removeFirst();
            take(old.source() == LogSource.COMBINED ? fromCombined : fromError, old.raw());
        }
        if (take(e.source() == LogSource.COMBINED ? fromError : fromCombined, e.raw())) {
            return true;
        }
        (e.source() == LogSource.COMBINED ? fromCombined : fromError).merge(e.raw(), 1, Integer::sum);
        recent.addLast(new Seen(e.raw(), e.source(), e.time()));
        return false;
    }

    private static boolean take(Map<String, Integer> copies, String raw) {
        Integer n = copies.get(raw);
        if (n == null) {
            return false;
        }
        if (n == 1) {
            copies.remove(raw);
        } else {
            copies.put(raw, n - 1);
        }
        return true;
    }
}
