package com.aiphoto.opsctl.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Follows one file by name, as {@code tail -F} does: new complete lines on each {@link #poll()}. When the name
 * points at another file (logback renamed the old one away and created a new one), the old file is read to its
 * end first (this process still holds it open), then every file rolled after it between two polls (found among
 * the rolled parts by the old file's first line), then the new one from its start; when the file got shorter
 * (truncated in place), reading starts again at its beginning. Lines are returned per poll, so memory follows
 * what the server writes between two polls, not the size of the files.
 */
final class TailFile implements AutoCloseable {
    /** A file opened by name, and the identity (inode) of what was opened. */
    record Opened(FileChannel channel, Object key) {}

    private final Path path;
    private final RolledParts rolled;
    private final ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();
    private FileChannel channel;
    private Object key;
    private long position;

    /** The rolled files of the followed log, oldest first. */
    interface RolledParts {
        List<Path> list() throws IOException;
    }

    /**
     * @param rolled the rolled parts of this log, to catch up with files rolled between two polls (null: none)
     * @param opened the file as already opened under {@code path} (it may have been renamed since), or null to
     *               open whatever {@code path} names on the first poll, from its start
     * @param start  where to go on in {@code opened}
     */
    TailFile(Path path, RolledParts rolled, Opened opened, long start) {
        this.path = path;
        this.rolled = rolled;
        if (opened != null) {
            channel = opened.channel();
            key = opened.key();
            position = start;
        }
    }

    /**
     * Opens {@code path} and learns which file that was: the name's identity, read before and after opening, is
     * the opened file's when both agree (Java cannot ask an open channel for its inode). Null when there is none.
     */
    static Opened open(Path path) throws IOException {
        while (true) {
            Object before = keyOf(path);
            if (before == null) {
                return null;
            }
            FileChannel c;
            try {
                c = FileChannel.open(path, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            if (Objects.equals(before, keyOf(path))) {
                return new Opened(c, before);
            }
            c.close(); // renamed in between: again
        }
    }

    private static Object keyOf(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    List<String> poll() throws IOException {
        List<String> lines = new ArrayList<>();
        if (channel == null && !reopen()) {
            return lines;
        }
        drain(lines);
        Object now = keyOf(path);
        if (now != null && !now.equals(key)) {
            drain(lines); // anything written to the old file before it was renamed
            if (partial.size() > 0) {
                lines.add(partial.toString(StandardCharsets.UTF_8)); // its writer is done with it
            }
            String oldFirst = LogFiles.firstLine(channel);
            channel.close();
            channel = null;
            // the new file first, then the parts: one rolled meanwhile is then among them, and not read twice
            boolean opened = reopen();
            String newFirst = opened ? LogFiles.firstLine(channel) : null;
            catchUp(oldFirst, newFirst, lines);
            if (opened) {
                drain(lines);
            }
        } else if (now != null && channel.size() < position) {
            position = 0;
            partial.reset();
            drain(lines);
        }
        return lines;
    }

    /** The parts rolled after the one starting with {@code oldFirst} and before {@code newFirst}'s file. */
    private void catchUp(String oldFirst, String newFirst, List<String> lines) throws IOException {
        if (rolled == null || oldFirst == null) {
            return;
        }
        List<Path> parts = rolled.list();
        int mine = -1;
        for (int i = parts.size() - 1; i >= 0 && mine < 0; i--) {
            if (oldFirst.equals(LogFiles.firstLine(parts.get(i)))) {
                mine = i;
            }
        }
        for (int i = mine + 1; mine >= 0 && i < parts.size(); i++) {
            if (newFirst != null && newFirst.equals(LogFiles.firstLine(parts.get(i)))) {
                return; // the file just opened, rolled already: it is read from the open channel
            }
            try (LineReader r = LogFiles.open(parts.get(i))) {
                for (String l = r.next(); l != null; l = r.next()) {
                    lines.add(l);
                }
            } catch (NoSuchFileException e) {
                // removed by the size cap before it could be read
            }
        }
    }

    private boolean reopen() throws IOException {
        Opened o = open(path);
        if (o == null) {
            return false;
        }
        channel = o.channel();
        key = o.key();
        position = 0;
        partial.reset();
        return true;
    }

    private void drain(List<String> lines) throws IOException {
        while (true) {
            buf.clear();
            int n = channel.read(buf, position);
            if (n <= 0) {
                return;
            }
            position += n;
            byte[] a = buf.array();
            int start = 0;
            for (int i = 0; i < n; i++) {
                if (a[i] == '\n') {
                    partial.write(a, start, i - start);
                    String line = partial.toString(StandardCharsets.UTF_8);
                    partial.reset();
                    lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
                    start = i + 1;
                }
            }
            partial.write(a, start, n - start);
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
