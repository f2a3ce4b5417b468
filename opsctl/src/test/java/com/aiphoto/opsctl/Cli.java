package com.aiphoto.opsctl;

import com.aiphoto.core.testing.ConfiguredSecrets;
import com.aiphoto.testing.TestSecrets;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/** Runs opsctl in-process with a given environment and no fallback env files (never the machine's ./.env). */
public final class Cli {
    public record Result(int code, String out, String err) {
        public List<String> errLines() {
            return err.lines().toList();
        }

        public String all() {
            return out + err;
        }
    }

    private Cli() {}

    public static Result run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ConfiguredSecrets.register(env); // for the suite-wide "no secret in any log" scan
        int code = new Opsctl(env, List.of()).run(new PrintWriter(out), new PrintWriter(err), args);
        Result r = new Result(code, out.toString(), err.toString());
        RUNS_LOG.ifPresent(log -> append(log, args, r));
        return r;
    }

    /** What operators' cron mails and journals would hold: the scan reads it (in-process runs print nowhere else). */
    private static final java.util.Optional<Path> RUNS_LOG = TestSecrets.buildLog("opsctl-runs.log");

    private static synchronized void append(Path log, String[] args, Result r) {
        try {
            Files.writeString(
                    log,
                    "$ opsctl " + String.join(" ", args) + " (exit " + r.code() + ")\n" + r.out() + r.err(),
                    java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public static Result run(String... args) {
        return run(Map.of(), args);
    }

    /** A --json document as maps, lists, strings, numbers and booleans. */
    public static Map<?, ?> json(String text) {
        try {
            // one document: a second one after it (e.g. a failure printed twice) is not --json's contract
            return new ObjectMapper()
                    .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readValue(text, Map.class);
        } catch (IOException e) {
            throw new AssertionError("not a JSON object: " + text, e);
        }
    }

    /** Writes an env file with the given POSIX mode (e.g. "rw-------") where the file system has modes. */
    public static Path envFile(Path dir, String mode, String... lines) throws IOException {
        Path file = dir.resolve("ai-photo.env");
        Files.write(file, List.of(lines));
        if (posix(dir)) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        }
        return file;
    }

    public static boolean posix(Path dir) throws IOException {
        return Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class);
    }
}
