package com.aiphoto.opsctl.logs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lines of UTF-8 text from a stream, one at a time, counting the bytes of the complete lines read so that
 * following a file can go on exactly where reading it stopped. With a {@code limit}, nothing past that many
 * bytes is read, and a last line without its newline is not returned (it is still being written).
 */
final class LineReader implements AutoCloseable {
    private final InputStream in;
    private final long limit;
    private final boolean partialLastLine;
    private final byte[] buf = new byte[64 * 1024];
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(512);
    private int pos;
    private int len;
    private long read;
    private long complete;

    /**
     * @param limit           bytes to read at most, or -1 for all
     * @param partialLastLine whether a last line without a newline is a line (a finished file) or not (a live one)
     */
    LineReader(InputStream in, long limit, boolean partialLastLine) {
        this.in = in;
        this.limit = limit;
        this.partialLastLine = partialLastLine;
    }

    /** The next line without its line end, or null at the end. */
    String next() throws IOException {
        while (true) {
            if (pos == len) {
                int want = limit < 0 ? buf.length : (int) Math.min(buf.length, limit - read);
                int n = want <= 0 ? -1 : in.read(buf, 0, want);
                if (n <= 0) {
                    if (line.size() > 0 && partialLastLine) {
                        complete += line.size();
                        return take();
                    }
                    return null;
                }
                pos = 0;
                len = n;
                read += n;
            }
            int start = pos;
            while (pos < len && buf[pos] != '\n') {
                pos++;
            }
            line.write(buf, start, pos - start);
            if (pos < len) {
                pos++; // the newline
                complete += line.size() + 1;
                return take();
            }
        }
    }

    /** Bytes of the complete lines returned so far. */
    long completeBytes() {
        return complete;
    }

    private String take() {
        byte[] b = line.toByteArray();
        line.reset();
        int n = b.length;
        if (n > 0 && b[n - 1] == '\r') {
            n--;
        }
        return new String(b, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
