package com.aiphoto.opsctl.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** opsctl logs over files the server's logging set-up wrote, rolled at a small size cap. */
class LogsCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Logger APP = LoggerFactory.getLogger("com.aiphoto.test.LogWriter");
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    @TempDir
    Path dir;

    /**
     * Line i: INFO "line i" under request r(i/4); every 50th (from 7) also an ERROR with a stack trace; every 4th an
     * access line closing its request.
     */
    private static void write(int from, int to, Duration pauseEvery10) throws InterruptedException {
        for (int i = from; i < to; i++) {
            MDC.put("requestId", "r" + i / 4);
            APP.info("line {}", i);
            if (i % 50 == 7) {
                APP.error("failed {}", i, new IllegalStateException("boom " + i));
            }
            if (i % 4 == 3) {
                ACCESS.info("GET /line/{} 200 1ms", i);
            }
            MDC.remove("requestId");
            if (i % 10 == 9 && !pauseEvery10.isZero()) {
                Thread.sleep(pauseEvery10.toMillis());
            }
        }
    }

    private static List<JsonNode> parse(String out) {
        return out.lines()
                .map(l -> {
                    try {
                        return JSON.readTree(l);
                    } catch (IOException e) {
                        throw new AssertionError("not JSON: " + l, e);
                    }
                })
                .toList();
    }

    private static Instant time(JsonNode n) {
        return OffsetDateTime.parse(n.get("@timestamp").asText()).toInstant();
    }

    private static List<String> messages(List<JsonNode> lines, String level, String logger) {
        return lines.stream()
                .filter(n -> n.get("level").asText().equals(level)
                        && n.get("logger_name").asText().equals(logger))
                .map(n -> n.get("message").asText())
                .toList();
    }

    private static List<String> expected(String format, int from, int to, int step, int offset) {
        List<String> l = new ArrayList<>();
        for (int i = from; i < to; i++) {
            if (i % step == offset) {
                l.add(format.formatted(i));
            }
        }
        return l;
    }

    private Cli.Result logs(Path logs, String... args) {
        List<String> all = new ArrayList<>(List.of("logs", "--dir", logs.toString()));
        all.addAll(List.of(args));
        return Cli.run(Map.of(), all.toArray(String[]::new));
    }

    private static long rolled(Path logs, String base) throws IOException {
        try (Stream<Path> files = Files.list(logs)) {
            return files.filter(
                            p -> p.getFileName().toString().matches(base + "\\.\\d{4}-\\d{2}-\\d{2}\\.\\d+\\.log\\.gz"))
                    .count();
        }
    }

    private static String firstLines(Path logs) {
        StringBuilder sb = new StringBuilder();
        try {
            for (Path p : LogSource.COMBINED.rolled(logs)) {
                String f = LogFiles.firstLine(p);
                sb.append(p.getFileName())
                        .append(": ")
                        .append(f == null ? null : JSON.readTree(f).get("message"))
                        .append('\n');
            }
        } catch (IOException e) {
            sb.append(e);
        }
        return sb.toString();
    }

    private static String listing(Path logs) {
        try (Stream<Path> files = Files.list(logs)) {
            return files.map(p -> p.getFileName() + " " + p.toFile().length())
                            .sorted()
                            .toList() + "\n";
        } catch (IOException e) {
            return e.toString();
        }
    }

    @Test
    void acrossRotationsEveryLineOnceAndInTimeOrder() throws Exception {
        Path logs;
        try (ServerLogs server = ServerLogs.start(dir, "4KB")) {
            logs = server.dir;
            write(0, 400, Duration.ZERO);
        }
        String afterWriting = listing(logs);
        assertTrue(rolled(logs, "combined") >= 5, "combined.log rolled several times");
        assertTrue(rolled(logs, "access") >= 1, "access.log rolled");

        Cli.Result r = logs(logs, "--json");
        assertEquals(ExitCode.OK, r.code(), r.err());
        List<JsonNode> lines = parse(r.out());
        assertEquals(
                expected("line %d", 0, 400, 1, 0),
                messages(lines, "INFO", "com.aiphoto.test.LogWriter"),
                () -> "after writing: " + afterWriting + "now: " + listing(logs) + r.err() + "\nlogback:\n"
                        + ServerLogs.lastStatus());
        assertEquals(
                expected("failed %d", 0, 400, 50, 7),
                messages(lines, "ERROR", "com.aiphoto.test.LogWriter"),
                "each error once, though combined.log and error.log both hold it");
        assertEquals(expected("GET /line/%d 200 1ms", 0, 400, 4, 3), messages(lines, "INFO", "access"));
        assertEquals(400 + 8 + 100, lines.size());
        for (int i = 1; i < lines.size(); i++) {
            assertFalse(time(lines.get(i)).isBefore(time(lines.get(i - 1))), "in time order at " + lines.get(i));
        }

        // a time window: exactly the lines inside it
        Instant since = time(lines.get(100));
        Instant until = time(lines.get(300));
        List<JsonNode> inside = lines.stream()
                .filter(n -> !time(n).isBefore(since) && time(n).isBefore(until))
                .toList();
        Cli.Result window = logs(logs, "--json", "--since", since.toString(), "--until", until.toString());
        assertEquals(inside, parse(window.out()));
    }

    @Test
    void readableLinesFiltersAndStackTracesOnVerbose() throws Exception {
        Path logs;
        try (ServerLogs server = ServerLogs.start(dir, "4KB")) {
            logs = server.dir;
            write(0, 120, Duration.ZERO);
        }
        Cli.Result errors = logs(logs, "--level", "error");
        assertEquals(0, errors.code(), errors.err());
        List<String> lines = errors.out().lines().toList();
        assertEquals(3, lines.size(), errors.out());
        assertTrue(
                lines.getFirst()
                        .matches("\\S+ ERROR \\[r1] LogWriter: failed 7 -- java.lang.IllegalStateException: boom 7"),
                lines.getFirst());

        Cli.Result verbose = logs(logs, "--level", "warn", "-v", "--grep", "failed 57");
        List<String> v = verbose.out().lines().toList();
        assertTrue(v.getFirst().contains(" ERROR [r14] com.aiphoto.test.LogWriter ("), v.getFirst());
        assertEquals("    java.lang.IllegalStateException: boom 57", v.get(1));
        assertTrue(v.get(2).startsWith("    \tat com.aiphoto.opsctl.logs.LogsCommandTest.write"), v.get(2));

        Cli.Result grep = logs(logs, "--json", "--grep", "line 1");
        assertEquals(
                Stream.of(List.of("line 1"), expected("line %d", 10, 20, 1, 0), expected("line %d", 100, 120, 1, 0))
                        .flatMap(List::stream)
                        .toList(),
                messages(parse(grep.out()), "INFO", "com.aiphoto.test.LogWriter"));

        Cli.Result none = logs(logs, "--grep", "no such text");
        assertEquals(ExitCode.FAILED, none.code(), "nothing matched");
        assertEquals("", none.out());

        assertEquals(ExitCode.USAGE, logs(logs, "--level", "loud").code());
        assertEquals(ExitCode.USAGE, logs(logs, "--since", "yesterday-ish").code());
        assertEquals(ExitCode.PRECONDITION, logs(dir.resolve("nowhere")).code());
    }

    @Test
    void requestIdFindsEveryLineOfOneRequestFromTheRealServer() throws Exception {
        AiPhotoServer.Running running = TestServers.start(dir, Map.of("LOG_MAX_FILE_SIZE", "4KB"));
        try {
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < 30; i++) {
                String id = i == 17 ? "logs-test-boom" : "other-" + i;
                String path = i == 17 ? "/test/boom" : "/health";
                HttpResponse<String> res = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + running.port() + path))
                                .header("X-Request-Id", id)
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(i == 17 ? 500 : 200, res.statusCode());
            }
        } finally {
            running.stop();
            new ServerLogs(dir.resolve("logs")).close();
        }
        Cli.Result r = logs(dir.resolve("logs"), "--json", "--request-id", "logs-test-boom");
        assertEquals(0, r.code(), r.err());
        List<JsonNode> lines = parse(r.out());
        assertEquals(
                List.of("about to fail", "unhandled error in GET /test/boom", "GET /test/boom 500"),
                lines.stream()
                        .map(n -> n.get("message").asText().replaceAll(" \\d+ms$", ""))
                        .toList(),
                r.out());
        assertEquals(
                List.of("INFO", "ERROR", "INFO"),
                lines.stream().map(n -> n.get("level").asText()).toList());
        assertEquals(500, lines.getLast().get("status").asInt(), "the access line, with its fields");
    }

    @Test
    void followKeepsGoingAcrossRotations() throws Exception {
        Instant start = Instant.now().minusSeconds(1);
        try (ServerLogs server = ServerLogs.start(dir, "4KB")) {
            write(0, 50, Duration.ZERO); // before following starts: printed from --since
            AtomicReference<Thread> follower = new AtomicReference<>();
            CompletableFuture<Cli.Result> follow = CompletableFuture.supplyAsync(() -> {
                follower.set(Thread.currentThread());
                return logs(server.dir, "--follow", "--json", "--since", start.toString());
            });
            write(50, 300, Duration.ofMillis(20)); // while following: rolled several times
            long rolledMeanwhile = rolled(server.dir, "combined");
            assertTrue(rolledMeanwhile >= 5, "rolled " + rolledMeanwhile + " times");
            Thread.sleep(1500); // a few polls
            follower.get().interrupt();
            Cli.Result r = follow.get();
            assertEquals(0, r.code(), r.err());
            List<JsonNode> lines = parse(r.out());
            assertEquals(
                    expected("line %d", 0, 300, 1, 0),
                    messages(lines, "INFO", "com.aiphoto.test.LogWriter"),
                    () -> listing(server.dir) + r.err() + firstLines(server.dir));
            assertEquals(expected("failed %d", 0, 300, 50, 7), messages(lines, "ERROR", "com.aiphoto.test.LogWriter"));
            assertEquals(expected("GET /line/%d 200 1ms", 0, 300, 4, 3), messages(lines, "INFO", "access"));
        }
    }
}
