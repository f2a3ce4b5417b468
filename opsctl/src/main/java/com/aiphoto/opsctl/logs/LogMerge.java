package com.aiphoto.opsctl.logs;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The three logs in time order: a k-way merge holding one line per log (files are read line by line, so memory
 * does not grow with their size). Equal times keep the {@link LogSource} order, then file order.
 */
final class LogMerge {
    /**
     * Where following goes on in an active file: the file as it was opened (null: open it by name when it appears)
     * and the end of its last complete line there.
     */
    record Resume(TailFile.Opened opened, long offset) {}

    private record Head(LogEntry entry, SourceReader reader, long seq) {}

    static final Comparator<LogEntry> ORDER = Comparator.comparing(
                    LogEntry::time, Comparator.nullsFirst(Comparator.naturalOrder()))
            .thenComparing(LogEntry::source);

    private LogMerge() {}

    /**
     * Prints the matching lines of every file; returns how many. With {@code resume} non-null the active files are
     * read only up to their size at opening, and where each stopped is put there.
     */
    static long history(
            Path dir,
            LogFilter filter,
            ErrorDedup dedup,
            LogPrinter printer,
            Map<LogSource, Resume> resume,
            PrintWriter err)
            throws IOException {
        List<SourceReader> readers = new ArrayList<>();
        long printed = 0;
        try {
            for (LogSource s : LogSource.values()) {
                readers.add(new SourceReader(s, dir, filter, resume != null, err));
            }
            PriorityQueue<Head> heads =
                    new PriorityQueue<>(Comparator.comparing(Head::entry, ORDER).thenComparingLong(Head::seq));
            long seq = 0;
            for (SourceReader r : readers) {
                LogEntry e = r.next();
                if (e != null) {
                    heads.add(new Head(e, r, seq++));
                }
            }
            while (!heads.isEmpty()) {
                Head h = heads.poll();
                if (filter.test(h.entry()) && !dedup.duplicate(h.entry())) {
                    printer.print(h.entry());
                    printed++;
                }
                LogEntry e = h.reader().next();
                if (e != null) {
                    heads.add(new Head(e, h.reader(), seq++));
                }
            }
            if (resume != null) {
                for (SourceReader r : readers) {
                    resume.put(r.source(), new Resume(r.activeOpened(), r.activeOffset()));
                }
            }
        } finally {
            for (SourceReader r : readers) {
                r.close();
            }
        }
        printer.flush();
        return printed;
    }

    /** Starting points for following when no history was read: the end of each active file now. */
    static Map<LogSource, Resume> atEnd(Path dir) throws IOException {
        Map<LogSource, Resume> m = new EnumMap<>(LogSource.class);
        for (LogSource s : LogSource.values()) {
            TailFile.Opened o = TailFile.open(s.active(dir));
            m.put(s, new Resume(o, o == null ? 0 : o.channel().size()));
        }
        return m;
    }
}
