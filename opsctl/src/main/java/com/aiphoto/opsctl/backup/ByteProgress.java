package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.Format;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long byte stream on stderr: nothing for the first 2 s (short steps stay quiet), then a line
 * every 5 s with the amount, MB/s, elapsed time and, when the total is known, the percentage.
 */
final class ByteProgress {
    private static final long FIRST_NS = 2_000_000_000L;
    private static final long EVERY_NS = 5_000_000_000L;

    private final PrintWriter err;
    private final String what;
    private final long total;
    private final boolean quiet;
    private final LongSupplier nanos;
    private final long start;
    private long bytes;
    private long lastReport;

    /** {@code total} is -1 when unknown. */
    ByteProgress(PrintWriter err, String what, long total, boolean quiet) {
        this(err, what, total, quiet, System::nanoTime);
    }

    /** {@code nanos}: the clock (tests pass their own). */
    ByteProgress(PrintWriter err, String what, long total, boolean quiet, LongSupplier nanos) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.quiet = quiet;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    void add(long n) {
        bytes += n;
        long now = nanos.getAsLong();
        if (!quiet && now - start >= FIRST_NS && (lastReport == 0 || now - lastReport >= EVERY_NS)) {
            lastReport = now;
            err.println("opsctl: " + what + ": " + line(now));
        }
    }

    long bytes() {
        return bytes;
    }

    long elapsedMillis() {
        return (nanos.getAsLong() - start) / 1_000_000;
    }

    private String line(long now) {
        double secs = Math.max(0.001, (now - start) / 1e9);
        String pct = total > 0
                ? String.format(Locale.ROOT, "%.0f%% of %s, ", 100.0 * bytes / total, Format.bytes(total))
                : "";
        return pct + Format.bytes(bytes) + String.format(Locale.ROOT, ", %.1f MB/s, ", bytes / secs / 1e6)
                + Format.millis((now - start) / 1_000_000) + " elapsed";
    }
}
