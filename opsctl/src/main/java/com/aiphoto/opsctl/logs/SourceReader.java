package com.aiphoto.opsctl.logs;

import java.io.EOFException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One log's lines across its files, rolled ones first: one file open at a time, one line in memory. Rolled files
 * last written before {@code since} are not opened at all. The active file is opened before the rolled ones are
 * listed, so a roll meanwhile loses nothing (and the rolled copy of the file already open is not read twice).
 * When {@code bounded}, the active file is read up to the size it had then, and {@link #activeOpened()} and
 * {@link #activeOffset()} say where following it goes on, in that same file even if it has been rolled since.
 */
final class SourceReader implements AutoCloseable {
    private final LogSource source;
    private final List<Path> files = new ArrayList<>();
    private final boolean bounded;
    private final LogFilter filter;
    private final Instant stopAfter;
    private final PrintWriter err;
    private final TailFile.Opened active;
    private int next;
    private LineReader reader;
    private Path current;
    private boolean activeRead;
    private Instant lastTime = Instant.EPOCH;
    private long activeOffset;

    /**
     * @param filter what will be printed: its since skips old rolled files, its until ends the reading (a minute
     *               past it), and lines that cannot match it are not parsed; {@link #next()} may still return
     *               entries the filter rejects
     */
    SourceReader(LogSource source, Path dir, LogFilter filter, boolean bounded, PrintWriter err) throws IOException {
        this.source = source;
        this.bounded = bounded;
        this.filter = filter;
        this.stopAfter = filter.until() == null ? null : filter.until().plus(LogFilter.UNTIL_SLACK);
        this.err = err;
        Instant since = filter.since();
        this.active = openActive(source, dir);
        List<Path> rolled = new ArrayList<>(source.rolled(dir));
        if (active != null && !rolled.isEmpty()) {
            String first = LogFiles.firstLine(active.channel());
            if (first != null && first.equals(LogFiles.firstLine(rolled.getLast()))) {
                rolled.removeLast(); // the file open here was rolled after opening: read it once, from here
            }
        }
        for (Path f : rolled) {
            // a file's last write is no earlier than its newest line: older than since, it has nothing to show
            try {
                if (since == null || !Files.getLastModifiedTime(f).toInstant().isBefore(since)) {
                    files.add(f);
                }
            } catch (NoSuchFileException e) {
                files.add(f); // a raw copy compressed since the listing: read from its .gz (just written)
            }
        }
    }

    /** How long a log with rolled parts may be without its active file before it counts as having none. */
    private static final long ACTIVE_MISSING_MILLIS = 1000;

    /**
     * The active file, or null when there is none. logback rolls by renaming the active file away and then
     * creating it again (after compressing and cleaning up), so for a moment the name is missing: a log that has
     * rolled parts but no active file is waited for briefly. Otherwise following would start at whatever file is
     * active at its first poll and skip every part rolled in between.
     */
    private static TailFile.Opened openActive(LogSource source, Path dir) throws IOException {
        TailFile.Opened opened = TailFile.open(source.active(dir));
        if (opened != null || source.rolled(dir).isEmpty()) {
            return opened; // a log without rolled parts has simply not been written yet
        }
        long deadline = System.nanoTime() + ACTIVE_MISSING_MILLIS * 1_000_000;
        while (opened == null && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
            opened = TailFile.open(source.active(dir));
        }
        return opened;
    }

    LogSource source() {
        return source;
    }

    /** The next entry, or null when every file is read. */
    LogEntry next() throws IOException {
        while (true) {
            if (reader == null && !open()) {
                return null;
            }
            String line;
            try {
                line = reader.next();
            } catch (EOFException e) {
                err.println("opsctl: warning: " + current + " ends early (still being compressed?); read up to there");
                line = null;
            }
            if (line == null) {
                if (current == null) {
                    activeOffset = reader.completeBytes();
                }
                reader.close();
                reader = null;
                continue;
            }
            if (line.isBlank() || !filter.mayMatch(line)) {
                continue;
            }
            LogEntry e = LogEntry.parse(line, source, lastTime);
            lastTime = e.time();
            if (stopAfter != null && e.time() != null && e.time().isAfter(stopAfter)) {
                reader.close(); // everything further on in this log is later still
                reader = null;
                next = files.size();
                activeRead = true;
                return null;
            }
            return e;
        }
    }

    /** Opens the next file; {@code current} is null while the active file is read. */
    private boolean open() throws IOException {
        while (next < files.size()) {
            current = files.get(next++);
            try {
                reader = LogFiles.open(current);
                return true;
            } catch (NoSuchFileException e) {
                // compressed and removed meanwhile (the raw copy was listed): its .gz came too late for the list
                err.println("opsctl: warning: " + current + " disappeared while reading; its lines are skipped");
            } catch (EOFException e) {
                err.println("opsctl: warning: " + current + " is empty or still being compressed; skipped");
            }
        }
        if (active != null && !activeRead) {
            activeRead = true;
            current = null;
            reader = LogFiles.open(active.channel(), bounded ? active.channel().size() : Long.MAX_VALUE);
            return true;
        }
        return false;
    }

    /** The active file as opened (when bounded the caller owns it then), or null when there was none. */
    TailFile.Opened activeOpened() {
        return active;
    }

    /** Where the active file's complete lines ended. */
    long activeOffset() {
        return activeOffset;
    }

    /** Closes the file being read, and the active file unless it is handed on ({@code bounded}). */
    @Override
    public void close() throws IOException {
        if (reader != null) {
            reader.close();
        }
        if (active != null && !bounded) {
            active.channel().close();
        }
    }
}
