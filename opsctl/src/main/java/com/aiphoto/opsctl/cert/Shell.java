package com.aiphoto.opsctl.cert;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs NGINX_TEST_CMD / NGINX_RELOAD_CMD through {@code sh -c}, as an operator would type them. */
final class Shell {
    record Result(int code, String output) {
        boolean ok() {
            return code == 0;
        }

        /** The last non-blank output line (nginx puts the reason there), for a one-line error. */
        String lastLine() {
            List<String> lines =
                    output.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "" : lines.getLast();
        }
    }

    private Shell() {}

    static Result run(String command) {
        try {
            Process p = new ProcessBuilder("sh", "-c", command)
                    .redirectErrorStream(true)
                    .start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(124, "timed out after 120 s");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(130, "interrupted");
        }
    }
}
