package com.aiphoto.opsctl.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.cli.Format;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress lines: quiet for 2 s, then one every 5 s, the percentage against the total the caller gives. */
class ByteProgressTest {
    private static final long S = 1_000_000_000L;

    @Test
    void quietAtFirstThenEveryFiveSecondsWithThePercentageOfTheTotal() {
        AtomicLong now = new AtomicLong(100 * S);
        StringWriter out = new StringWriter();
        ByteProgress p =
                new ByteProgress(new PrintWriter(out, true), "restore into x (SQL)", 4_000_000, false, now::get);
        p.add(1_000_000); // at 0 s
        now.addAndGet(S);
        p.add(1_000_000); // 1 s: still quiet
        assertEquals("", out.toString());
        now.addAndGet(S + S / 2);
        p.add(1_000_000); // 2.5 s: the first line, 3 of 4 MB
        now.addAndGet(S);
        p.add(500_000); // 3.5 s: not yet 5 s since the last line
        now.addAndGet(5 * S);
        p.add(500_000); // 8.5 s: the second line, all of it
        List<String> lines = out.toString().lines().toList();
        assertEquals(2, lines.size(), out.toString());
        assertTrue(
                lines.get(0).startsWith("opsctl: restore into x (SQL): 75% of " + Format.bytes(4_000_000) + ", "),
                lines.get(0));
        assertTrue(
                lines.get(1).startsWith("opsctl: restore into x (SQL): 100% of " + Format.bytes(4_000_000) + ", "),
                lines.get(1));
        assertTrue(lines.get(1).endsWith(" elapsed"), lines.get(1));
        assertEquals(8_500, p.elapsedMillis());
    }

    @Test
    void quietMeansNoLinesAndAnUnknownTotalNoPercentage() {
        AtomicLong now = new AtomicLong();
        StringWriter out = new StringWriter();
        ByteProgress quiet = new ByteProgress(new PrintWriter(out, true), "dump", -1, true, now::get);
        ByteProgress open = new ByteProgress(new PrintWriter(out, true), "dump", -1, false, now::get);
        now.addAndGet(3 * S);
        quiet.add(10);
        open.add(10);
        assertEquals(1, out.toString().lines().count(), out.toString());
        assertTrue(out.toString().startsWith("opsctl: dump: 10 B, "), out.toString());
    }
}
