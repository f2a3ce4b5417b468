package com.aiphoto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The secrets tests configure, written down for the suite-wide log scan ({@link SecretLogScan}, run by
 * packaging's {@code NoSecretInLogsIT} after every module's tests). The registry is the file the {@value PROPERTY}
 * system property names (the build sets it to {@code target/test-secrets.tsv} of each module); without it
 * (a test run from an IDE) registering does nothing.
 *
 * <p>The scan has to search for the values themselves, so the file holds them, base64-encoded (so the file does not
 * match itself and a stray {@code grep} of target/ shows no value). They are throw-away test values in the build
 * directory, never in git.
 */
public final class TestSecrets {
    public static final String PROPERTY = "test.secrets.file";
    /** The registry's name inside a module's {@code target/}. */
    public static final String FILE_NAME = "test-secrets.tsv";

    /** Beside the registry: copies of log directories from temporary directories. */
    public static final String KEPT_LOGS = "kept-logs";

    private static final Set<String> WRITTEN = ConcurrentHashMap.newKeySet();
    private static final Map<Path, String> KEPT = new ConcurrentHashMap<>();
    private static final AtomicInteger KEPT_SEQ = new AtomicInteger();

    private TestSecrets() {}

    /** Registers {@code value} under {@code name} (a variable's name, or what the value is; never the value). */
    public static void register(String name, String value) {
        String file = System.getProperty(PROPERTY);
        if (file != null && !file.isBlank()) {
            register(Path.of(file), name, value);
        }
    }

    /**
     * A log file of the tests' own beside the registry (e.g. what in-process opsctl runs printed, which would
     * otherwise live only in memory), so the scan reads it too; empty outside the build.
     */
    public static Optional<Path> buildLog(String name) {
        String file = System.getProperty(PROPERTY);
        return file == null || file.isBlank()
                ? Optional.empty()
                : Optional.of(Path.of(file).resolveSibling(name));
    }

    /**
     * Asks for the log files under {@code dir} (a server's LOG_DIR in a test's temporary directory, which JUnit
     * deletes after the test) to be copied to {@code target/kept-logs/} after each test ({@link KeptLogs}), so
     * the suite-wide scan reads them too. Does nothing outside the build.
     */
    public static void keepLogs(Path dir) {
        if (buildLog(KEPT_LOGS).isPresent()) {
            KEPT.computeIfAbsent(
                    dir.toAbsolutePath().normalize(),
                    d -> ProcessHandle.current().pid() + "-" + KEPT_SEQ.incrementAndGet() + "-"
                            + d.getParent().getFileName() + "-" + d.getFileName());
        }
    }

    /** Copies the kept log directories (the latest content; overwriting earlier copies); forgets deleted ones. */
    static void copyKeptLogs() {
        Optional<Path> root = buildLog(KEPT_LOGS);
        if (root.isEmpty()) {
            return;
        }
        for (Map.Entry<Path, String> e : KEPT.entrySet()) {
            Path src = e.getKey();
            if (!Files.isDirectory(src)) {
                KEPT.remove(src);
                continue;
            }
            Path dst = root.get().resolve(e.getValue());
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Path to = dst.resolve(src.relativize(f).toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(f, to, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | UncheckedIOException gone) {
                // a file rotated or deleted while we copy: the next copy (after the next test) has the rest
            }
        }
    }

    /** Registers every entry of {@code settings} whose key {@code isSecret} says is a secret. */
    public static void registerAll(Map<String, String> settings, Predicate<String> isSecret) {
        String file = System.getProperty(PROPERTY);
        if (file != null && !file.isBlank()) {
            registerAll(Path.of(file), settings, isSecret);
        }
    }

    static void registerAll(Path file, Map<String, String> settings, Predicate<String> isSecret) {
        settings.forEach((k, v) -> {
            if (v != null && isSecret.test(k)) {
                register(file, k, v);
            }
        });
    }

    /** Appends to the registry {@code file} (once per name and value and JVM). */
    static void register(Path file, String name, String value) {
        if (name.contains("\t") || name.contains("\n")) {
            throw new IllegalArgumentException("a secret's name is one line without tabs: " + name);
        }
        String line = name + "\t" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "\n";
        if (!WRITTEN.add(file + "\0" + line)) {
            return;
        }
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // one short append per line: concurrent test threads (and JVMs) do not interleave within it
            Files.writeString(
                    file,
                    line,
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
