package com.aiphoto.opsctl.logs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reading log files whether plain or gzipped, and telling them apart by their first line: logback renames the
 * active file and compresses it, so neither its name nor its inode survives the roll, but its first line (a
 * millisecond timestamp and the message) does.
 */
final class LogFiles {
    private LogFiles() {}

    /** {@code combined.2026-05-01.3.log<nanos>.tmp}: the raw copy logback reads while it compresses a rolled part. */
    private static final Pattern RAW_COPY = Pattern.compile("(.*\\.log)\\d+(?:\\.tmp)?");

    /**
     * A reader over a whole file (a rolled one: its last line is complete even without a newline). A raw copy
     * that is gone (compressed meanwhile) is read from its .gz, complete by then: logback deletes the copy last.
     */
    static LineReader open(Path file) throws IOException {
        Path f = file;
        InputStream in;
        try {
            in = Files.newInputStream(f);
        } catch (NoSuchFileException e) {
            Matcher m = RAW_COPY.matcher(f.getFileName().toString());
            if (!m.matches()) {
                throw e;
            }
            f = f.resolveSibling(m.group(1) + ".gz");
            in = Files.newInputStream(f);
        }
        try {
            return new LineReader(LogSource.compressed(f) ? new GZIPInputStream(in, 64 * 1024) : in, -1, true);
        } catch (IOException e) {
            in.close();
            throw e;
        }
    }

    /** A reader over the first {@code limit} bytes of an open channel, leaving the channel open. */
    static LineReader open(FileChannel channel, long limit) {
        return new LineReader(new ChannelInput(channel), limit, false);
    }

    /** The first complete line, or null (empty, gone, or a .gz still being written). */
    static String firstLine(Path f) {
        try (LineReader r = open(f)) {
            return r.next();
        } catch (NoSuchFileException | EOFException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    static String firstLine(FileChannel c) throws IOException {
        LineReader r = open(c, Math.min(c.size(), 1 << 20));
        return r.next();
    }

    /** Reads a channel from its start without closing it (the channel is handed on for following). */
    private static final class ChannelInput extends InputStream {
        private final FileChannel channel;
        private long position;

        ChannelInput(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = channel.read(ByteBuffer.wrap(b, off, len), position);
            if (n > 0) {
                position += n;
            }
            return n;
        }

        @Override
        public void close() {
            // the channel stays open: it is handed on
        }
    }
}
