package com.aiphoto.opsctl.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a configured command (NGINX_TEST_CMD, NGINX_RELOAD_CMD, API_RESTART_CMD) through {@code sh -c}, as an
 * operator would type it.
 */
public final class Shell {
    public record Result(int code, String output) {
        public boolean ok() {
            return code == 0;
        }

        /** The last non-blank output line (nginx puts the reason there), for a one-line error. */
        public String lastLine() {
            List<String> lines =
                    output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    private Shell() {}

    public static Result run(String command) {
        return run(command, Duration.ofSeconds(120));
    }

    /**
     * Output and exit code; 124 when it ran longer than {@code timeout} (then it is killed). The output goes
     * through a temporary file, not a pipe: a command that leaves a daemon behind (a restart) returns when the
     * command ends, not when the daemon closes its inherited stdout.
     */
    public static Result run(String command, Duration timeout) {
        Path log = null;
        try {
            log = Files.createTempFile("opsctl-cmd", ".log");
            Process p = new ProcessBuilder("sh", "-c", command)
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .start();
            p.getOutputStream().close();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new Result(124, "timed out after " + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), new String(Files.readAllBytes(log), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        } finally {
            if (log != null) {
                try {
                    Files.deleteIfExists(log);
                } catch (IOException e) {
                    // a temporary file left behind is harmless
                }
            }
        }
    }
}
