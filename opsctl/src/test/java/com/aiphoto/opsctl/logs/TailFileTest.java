package com.aiphoto.opsctl.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailFileTest {
    @TempDir
    Path dir;

    private static void append(Path f, String text) throws IOException {
        Files.writeString(f, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void completeLinesOnlyThenRenameAndNewFileThenTruncation() throws IOException {
        Path f = dir.resolve("combined.log");
        append(f, "a\nb\n");
        try (TailFile tail = new TailFile(f, null, null, 0)) {
            assertEquals(List.of("a", "b"), tail.poll());
            append(f, "c");
            assertEquals(List.of(), tail.poll(), "a line still being written waits");
            append(f, "\r\n");
            assertEquals(List.of("c"), tail.poll());

            // rename + new file (logback's rollover): the old file's last lines, then the new one's
            Path rolled = dir.resolve("combined.2026-01-01.0.log123");
            Files.move(f, rolled);
            append(rolled, "d\n");
            append(f, "e\n");
            assertEquals(List.of("d", "e"), tail.poll());

            // truncation in place (copytruncate)
            append(f, "f\n");
            assertEquals(List.of("f"), tail.poll());
            Files.writeString(f, "g\n", StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
            assertEquals(List.of("g"), tail.poll());

            // removed, then created again
            Files.delete(f);
            assertEquals(List.of(), tail.poll());
            append(f, "h\n");
            assertEquals(List.of("h"), tail.poll());
        }
    }

    @Test
    void startsWhereItWasToldInTheFileAlreadyOpen() throws IOException {
        Path f = dir.resolve("access.log");
        append(f, "old\n");
        TailFile.Opened opened = TailFile.open(f);
        long end = opened.channel().size();
        append(f, "new\n");
        try (TailFile tail = new TailFile(f, null, opened, end)) {
            assertEquals(List.of("new"), tail.poll());
        }
    }

    @Test
    void partsRolledBetweenTwoPollsAreReadInOrder() throws IOException {
        Path f = dir.resolve("combined.log");
        append(f, "a1\na2\n");
        try (TailFile tail = new TailFile(f, () -> LogSource.COMBINED.rolled(dir), null, 0)) {
            assertEquals(List.of("a1", "a2"), tail.poll());
            append(f, "a3\n");
            // three rolls before the next poll: a's file, then b's, then c's; d is the active one
            Files.move(f, dir.resolve("combined.2026-01-01.0.log111.tmp"));
            append(f, "b1\nb2\n");
            Files.move(f, dir.resolve("combined.2026-01-01.1.log222.tmp"));
            append(f, "c1\n");
            Files.move(f, dir.resolve("combined.2026-01-01.2.log333.tmp"));
            append(f, "d1\n");
            assertEquals(List.of("a3", "b1", "b2", "c1", "d1"), tail.poll());
        }
    }
}
