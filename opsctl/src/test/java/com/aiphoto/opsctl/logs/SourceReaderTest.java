package com.aiphoto.opsctl.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading one log while logback rolls and compresses it. */
class SourceReaderTest {
    @TempDir
    Path dir;

    private static String line(int i) {
        return "{\"@timestamp\":\"2026-05-01T10:00:0" + i + ".000Z\",\"level\":\"INFO\",\"message\":\"m" + i + "\"}";
    }

    private static void gzip(Path f, String text) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(f))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private static List<String> messages(SourceReader r) throws IOException {
        List<String> m = new ArrayList<>();
        for (LogEntry e = r.next(); e != null; e = r.next()) {
            m.add(e.message());
        }
        return m;
    }

    @Test
    void aRawCopyCompressedAwayAfterTheListingIsReadFromItsGzip() throws IOException {
        gzip(dir.resolve("combined.2026-05-01.0.log.gz"), line(0) + "\n");
        // part 1 is being compressed: the raw copy is complete, its .gz is not there yet
        Path raw = dir.resolve("combined.2026-05-01.1.log123456789.tmp");
        Files.writeString(raw, line(1) + "\n" + line(2) + "\n");
        Files.writeString(dir.resolve("combined.log"), line(3) + "\n");
        StringWriter err = new StringWriter();
        try (SourceReader r = new SourceReader(LogSource.COMBINED, dir, LogFilter.ALL, false, new PrintWriter(err))) {
            // the compression finishes after the listing: .gz written, raw copy deleted
            gzip(dir.resolve("combined.2026-05-01.1.log.gz"), line(1) + "\n" + line(2) + "\n");
            Files.delete(raw);
            assertEquals(List.of("m0", "m1", "m2", "m3"), messages(r));
        }
        assertEquals("", err.toString());
    }

    @Test
    void theActiveFileFoundAgainAsTheNewestPartIsReadOnce() throws IOException {
        // the state after the active file was opened and then rolled before the parts were listed
        gzip(dir.resolve("access.2026-05-01.0.log.gz"), line(0) + "\n");
        gzip(dir.resolve("access.2026-05-01.1.log.gz"), line(1) + "\n" + line(2) + "\n");
        Files.writeString(dir.resolve("access.log"), line(1) + "\n" + line(2) + "\n");
        try (SourceReader r =
                new SourceReader(LogSource.ACCESS, dir, LogFilter.ALL, false, new PrintWriter(new StringWriter()))) {
            assertEquals(List.of("m0", "m1", "m2"), messages(r));
        }
    }

    @Test
    void untilEndsTheReadingAMinutePastItAndLinesThatCannotMatchAreNotParsed() throws IOException {
        gzip(dir.resolve("combined.2026-05-01.0.log.gz"), line(0) + "\n" + line(1) + "\n" + line(2) + "\n");
        gzip(
                dir.resolve("combined.2026-05-01.1.log.gz"),
                "{\"@timestamp\":\"2026-05-01T10:05:00Z\",\"level\":\"INFO\",\"message\":\"later\"}\n");
        // never opened: reading it would be a warning
        Files.writeString(dir.resolve("combined.2026-05-01.2.log.gz"), "not gzip");
        StringWriter err = new StringWriter();
        LogFilter until = new LogFilter(-1, null, java.time.Instant.parse("2026-05-01T10:00:02Z"), null, null);
        try (SourceReader r = new SourceReader(LogSource.COMBINED, dir, until, false, new PrintWriter(err))) {
            assertEquals(List.of("m0", "m1", "m2"), messages(r), "the filter drops m2 later; reading stops at 10:05");
        }
        assertEquals("", err.toString());

        LogFilter grep = new LogFilter(-1, null, null, null, "m1");
        Files.delete(dir.resolve("combined.2026-05-01.2.log.gz"));
        try (SourceReader r = new SourceReader(LogSource.COMBINED, dir, grep, false, new PrintWriter(err))) {
            assertEquals(List.of("m1"), messages(r));
        }
    }

    /**
     * logback renames the active file away before it creates the new one (and compresses and cleans up in between):
     * a reader that took the missing name for "no active file" started following at a later file and lost the
     * parts rolled meanwhile (LogsCommandTest#followKeepsGoingAcrossRotations, up to 4 runs in 10).
     */
    @Test
    void anActiveFileMissingWhileTheLogRollsIsWaitedFor() throws Exception {
        gzip(dir.resolve("combined.2026-05-01.0.log.gz"), line(0) + "\n");
        Thread logback = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
                Files.writeString(dir.resolve("combined.log"), line(1) + "\n");
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try (SourceReader r =
                new SourceReader(LogSource.COMBINED, dir, LogFilter.ALL, false, new PrintWriter(new StringWriter()))) {
            assertEquals(List.of("m0", "m1"), messages(r));
        }
        logback.join();
    }

    @Test
    void aLogWithNoFilesAtAllIsNotWaitedFor() throws IOException {
        long t0 = System.nanoTime();
        try (SourceReader r =
                new SourceReader(LogSource.ERROR, dir, LogFilter.ALL, true, new PrintWriter(new StringWriter()))) {
            assertEquals(List.of(), messages(r));
            assertEquals(null, r.activeOpened());
        }
        assertTrue(System.nanoTime() - t0 < 500_000_000L, "no rolled parts: nothing to wait for");
    }
}
