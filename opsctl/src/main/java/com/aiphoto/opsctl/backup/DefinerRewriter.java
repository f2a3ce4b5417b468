package com.aiphoto.opsctl.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites {@code DEFINER=`user`@`host`} in a dump's DDL lines (views, triggers, routines, events) to
 * {@code DEFINER=CURRENT_USER}, so an account without SUPER / SET USER can load objects another account
 * defined. Used for verify's scratch copy, which is compared by content; {@code restore} keeps definers.
 * Data lines ({@code INSERT ...}, the bulk of a dump) pass through untouched and unbuffered.
 */
final class DefinerRewriter extends OutputStream {
    private static final Pattern DEFINER = Pattern.compile("DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`");
    private static final byte[] INSERT = "INSERT ".getBytes(StandardCharsets.US_ASCII);
    /** A longer line that is not an INSERT is passed through as it is. */
    private static final int MAX_LINE = 1 << 20;

    private final OutputStream target;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private boolean passthrough;

    DefinerRewriter(OutputStream target) {
        this.target = target;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        int end = off + len;
        int i = off;
        while (i < end) {
            if (passthrough) {
                int nl = indexOf(b, i, end);
                int stop = nl < 0 ? end : nl + 1;
                target.write(b, i, stop - i);
                passthrough = nl < 0;
                i = stop;
                continue;
            }
            byte c = b[i++];
            line.write(c);
            if (c == '\n') {
                flushLine();
            } else if (line.size() == INSERT.length && startsWithInsert() || line.size() > MAX_LINE) {
                line.writeTo(target);
                line.reset();
                passthrough = true;
            }
        }
    }

    private boolean startsWithInsert() {
        byte[] head = line.toByteArray();
        for (int k = 0; k < INSERT.length; k++) {
            if (head[k] != INSERT[k]) {
                return false;
            }
        }
        return true;
    }

    private void flushLine() throws IOException {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (s.contains("DEFINER=")) {
            s = DEFINER.matcher(s).replaceAll(Matcher.quoteReplacement("DEFINER=CURRENT_USER"));
        }
        target.write(s.getBytes(StandardCharsets.UTF_8));
    }

    private static int indexOf(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == '\n') {
                return k;
            }
        }
        return -1;
    }

    @Override
    public void flush() throws IOException {
        target.flush();
    }

    @Override
    public void close() throws IOException {
        if (line.size() > 0) {
            flushLine();
        }
        target.close();
    }
}
