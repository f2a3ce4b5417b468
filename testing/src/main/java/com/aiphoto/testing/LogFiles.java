package com.aiphoto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/** Reads log files in tests (JSON lines, or a whole directory as text) and checks no secret reached them. */
public final class LogFiles {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private LogFiles() {}

    /** Each line of a JSON-lines file as a tree; none when the file does not exist. Every line must be JSON. */
    public static List<JsonNode> read(Path file) {
        List<JsonNode> out = new ArrayList<>();
        try {
            if (!Files.exists(file)) {
                return out;
            }
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(MAPPER.readTree(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** The text of every regular file in {@code dir} (not recursive), concatenated; "" for a missing dir. */
    public static String allText(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                sb.append(Files.readString(f));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sb.toString();
    }

    /**
     * Fails when any of {@code secrets} occurs in {@code logs}. The message names the secret by position and
     * length only, so a failing run does not print it once more.
     */
    public static void assertNoSecret(String logs, Collection<String> secrets) {
        int i = 0;
        for (String secret : secrets) {
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("secret #" + i + " is empty: every log would contain it");
            }
            int at = logs.indexOf(secret);
            if (at >= 0) {
                throw new AssertionError(
                        "a secret reached the logs: secret #" + i + " (" + secret.length() + " chars) at offset " + at);
            }
            i++;
        }
    }

    /** {@link #assertNoSecret(String, Collection)} over every file in {@code dir}. */
    public static void assertNoSecretIn(Path dir, Collection<String> secrets) {
        assertNoSecret(allText(dir), secrets);
    }
}
