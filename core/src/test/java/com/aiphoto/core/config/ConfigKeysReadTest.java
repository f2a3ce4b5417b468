package com.aiphoto.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every configuration variable the code reads is declared in application.yaml (with a default or without one).
 * A key read but declared nowhere would be unknown to config check, to the reference and to the placeholder check.
 */
class ConfigKeysReadTest {
    /** Settings reads of a literal key: s.get("X"), find, has, integer, duration, bytes, source. */
    private static final Pattern READ =
            Pattern.compile("\\.(?:get|find|has|integer|duration|bytes|source)\\(\"([A-Z][A-Z0-9_]+)\"\\)");
    /** Read from the process environment before any configuration exists (it names the env file). */
    private static final Set<String> NOT_CONFIGURATION = Set.of("AI_PHOTO_ENV_FILE");

    @Test
    void everyKeyTheCodeReadsIsDeclared() throws IOException {
        Set<String> read = new TreeSet<>();
        for (String module : new String[] {"core", "server", "opsctl"}) {
            Path src = Path.of("..", module, "src", "main", "java");
            assertTrue(Files.isDirectory(src), "sources of " + module + " not found at " + src.toAbsolutePath());
            try (Stream<Path> files = Files.walk(src)) {
                files.filter(p -> p.toString().endsWith(".java")).forEach(p -> {
                    Matcher m = READ.matcher(readString(p));
                    while (m.find()) {
                        read.add(m.group(1));
                    }
                });
            }
        }
        assertTrue(read.size() > 30, "the scan found too few reads to be working: " + read);
        read.removeAll(NOT_CONFIGURATION);
        Set<String> undeclared = new TreeSet<>(read);
        undeclared.removeIf(ConfigCatalog.standard()::declares);
        assertEquals(Set.of(), undeclared, "read by the code but not declared in application.yaml");
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
