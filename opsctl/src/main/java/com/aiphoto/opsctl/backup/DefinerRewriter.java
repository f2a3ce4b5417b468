package com.aiphoto.opsctl.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites {@code DEFINER=`user`@`host`} in a dump's DDL lines (views, triggers, routines, events) to
 * {@code DEFINER=CURRENT_USER}, so an account without SUPER / SET USER can load objects another account
 * defined. Used for verify's scratch copy, which is compared by content; {@code restore} keeps definers.
 * <p>
 * Only lines that start as the dump tools write those clauses ({@code /*!...} version comments, or
 * {@code CREATE}) are looked at, and only their first clause, before any string literal: everything else
 * passes through untouched and unbuffered. Data never qualifies: mariadb-dump writes each row of an
 * {@code INSERT} on its own line starting with {@code (}, so a value that reads like a definer stays as it is.
 */
final class DefinerRewriter extends OutputStream {
    private static final Pattern DEFINER = Pattern.compile("DEFINER=`(?:[^`]|``)*`@`(?:[^`]|``)*`");
    private static final List<byte[]> DDL =
            List.of("/*!".getBytes(StandardCharsets.US_ASCII), "CREATE ".getBytes(StandardCharsets.US_ASCII));
    private static final int PREFIX_MAX =
            DDL.stream().mapToInt(p -> p.length).max().orElseThrow();
    /** A longer DDL line is passed through as it is. */
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
            } else if ((line.size() <= PREFIX_MAX && !mayBeDdl()) || line.size() > MAX_LINE) {
                line.writeTo(target);
                line.reset();
                passthrough = true;
            }
        }
    }

    /** The line so far is, or may still become, one that starts like a DDL line. */
    private boolean mayBeDdl() {
        byte[] head = line.toByteArray();
        for (byte[] prefix : DDL) {
            int n = Math.min(head.length, prefix.length);
            boolean match = true;
            for (int k = 0; k < n && match; k++) {
                match = head[k] == prefix[k];
            }
            if (match) {
                return true;
            }
        }
        return false;
    }

    private void flushLine() throws IOException {
        String s = line.toString(StandardCharsets.UTF_8);
        line.reset();
        Matcher m = DEFINER.matcher(s);
        if (m.find() && s.lastIndexOf('\'', m.start()) < 0) {
            s = s.substring(0, m.start()) + "DEFINER=CURRENT_USER" + s.substring(m.end());
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
