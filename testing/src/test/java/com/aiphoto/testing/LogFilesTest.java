package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogFilesTest {
    @TempDir
    Path dir;

    @Test
    void readsJsonLinesAndWholeDirectories() throws IOException {
        Files.writeString(dir.resolve("a.log"), "{\"level\":\"INFO\",\"n\":1}\n\n{\"level\":\"ERROR\"}\n");
        Files.writeString(dir.resolve("b.log"), "plain text line\n");
        assertEquals(
                List.of("INFO", "ERROR"),
                LogFiles.read(dir.resolve("a.log")).stream()
                        .map(n -> n.get("level").asText())
                        .toList());
        assertEquals(List.of(), LogFiles.read(dir.resolve("missing.log")));
        assertTrue(LogFiles.allText(dir).contains("plain text line"));
        assertThrows(
                IOException.class,
                () -> {
                    try {
                        LogFiles.read(dir.resolve("b.log"));
                    } catch (java.io.UncheckedIOException e) {
                        throw e.getCause();
                    }
                },
                "a line that is not JSON fails");
    }

    @Test
    void aSecretInAnyFileFailsWithoutBeingPrinted() throws IOException {
        Files.writeString(dir.resolve("a.log"), "nothing here\n");
        Files.writeString(dir.resolve("b.log"), "token=sk-live-123456 oops\n");
        LogFiles.assertNoSecretIn(dir, List.of("other-secret"));
        AssertionError e = assertThrows(
                AssertionError.class, () -> LogFiles.assertNoSecretIn(dir, List.of("other-secret", "sk-live-123456")));
        assertTrue(e.getMessage().contains("secret #1"), e.getMessage());
        assertFalse(e.getMessage().contains("sk-live-123456"), "the message does not repeat the secret");
        assertThrows(IllegalArgumentException.class, () -> LogFiles.assertNoSecret("x", List.of("")));
    }

    @Test
    void logCaptureSeesMessagesAndStackTracesWhileOpen() {
        org.slf4j.Logger log = LoggerFactory.getLogger("com.aiphoto.testing.sample");
        try (LogCapture capture = LogCapture.of("com.aiphoto.testing")) {
            log.warn("user {} logged in", "13900000000");
            log.error("failed", new IllegalStateException("password=hunter2-secret"));
            assertEquals(2, capture.events().size());
            assertEquals(
                    "WARN com.aiphoto.testing.sample: user 13900000000 logged in",
                    capture.lines().get(0));
            assertThrows(
                    AssertionError.class,
                    () -> capture.assertNoSecret(List.of("hunter2-secret")),
                    "the exception's message is part of what is checked");
            capture.assertNoSecret(List.of("another"));
            capture.close();
            log.warn("after close");
            assertEquals(2, capture.events().size());
        }
    }
}
