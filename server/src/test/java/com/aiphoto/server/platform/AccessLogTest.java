package com.aiphoto.server.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.LogFiles;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JSON log files: access fields, client IP through trusted proxies only, error.log holds errors only. */
class AccessLogTest {
    @TempDir
    Path dir;

    @Test
    void accessLineHasTheFieldsAndNoQueryString() {
        var running = TestServers.start(dir, Map.of());
        try {
            new Http(running.port())
                    .get(
                            "/health?token=callback-secret-123",
                            "X-Request-Id",
                            "acc-1",
                            "X-Forwarded-For",
                            "203.0.113.7");
            new Http(running.port()).get("/test/boom", "X-Request-Id", "acc-2");
        } finally {
            running.stop();
        }
        JsonNode line = find(dir.resolve("logs/access.log"), "acc-1");
        assertEquals("GET", line.get("method").asText());
        assertEquals("/health", line.get("path").asText());
        assertEquals(200, line.get("status").asInt());
        assertTrue(line.get("bytes").asLong() > 20, line.toString());
        assertTrue(line.get("durationMs").asDouble() >= 0);
        assertEquals("203.0.113.7", line.get("clientIp").asText(), "127.0.0.1 is a trusted proxy by default");
        Instant.parse(line.get("@timestamp")
                .asText()
                .replaceFirst("([+-]\\d\\d:\\d\\d)$", "Z")
                .replace("ZZ", "Z"));
        assertEquals(
                500, find(dir.resolve("logs/access.log"), "acc-2").get("status").asInt());

        for (String file : List.of("access.log", "combined.log", "error.log")) {
            String text = read(dir.resolve("logs").resolve(file));
            assertFalse(text.contains("callback-secret-123"), file + " must not contain query strings");
        }
        List<JsonNode> errors = LogFiles.read(dir.resolve("logs/error.log"));
        assertFalse(errors.isEmpty());
        assertTrue(errors.stream().allMatch(e -> "ERROR".equals(e.get("level").asText())), errors.toString());
        assertTrue(LogFiles.read(dir.resolve("logs/combined.log")).stream()
                .anyMatch(e -> "INFO".equals(e.get("level").asText())));
    }

    @Test
    void forwardedForFromAnUntrustedPeerIsIgnored() {
        var running = TestServers.start(dir, Map.of("TRUSTED_PROXIES", "10.0.0.0/8"));
        try {
            new Http(running.port()).get("/health", "X-Request-Id", "spoof-1", "X-Forwarded-For", "198.51.100.9");
        } finally {
            running.stop();
        }
        assertEquals(
                "127.0.0.1",
                find(dir.resolve("logs/access.log"), "spoof-1").get("clientIp").asText());
    }

    @Test
    void requestsAnsweredBeforeRoutingAreLoggedToo() throws Exception {
        // issue 8 #19: malformed HTTP, 414 and listener-level 413 left no access-log line
        var running = TestServers.start(dir, Map.of());
        java.util.List<String> ids = new java.util.ArrayList<>();
        try {
            for (String raw : new String[] {
                "GET /health?x=" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2x\r\n\r\n{}"
            }) {
                try (java.net.Socket s = new java.net.Socket("127.0.0.1", running.port())) {
                    s.setSoTimeout(5000);
                    s.getOutputStream().write(raw.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    String answer =
                            new String(s.getInputStream().readNBytes(400), java.nio.charset.StandardCharsets.US_ASCII);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)x-request-id: (\\S+)")
                            .matcher(answer);
                    assertTrue(m.find(), answer);
                    ids.add(m.group(1));
                }
            }
        } finally {
            running.stop();
        }
        JsonNode uri = find(dir.resolve("logs/access.log"), ids.get(0));
        assertEquals(414, uri.get("status").asInt());
        assertEquals(
                400,
                find(dir.resolve("logs/access.log"), ids.get(1)).get("status").asInt());
    }

    private static JsonNode find(Path file, String requestId) {
        return LogFiles.read(file).stream()
                .filter(e -> requestId.equals(e.path("requestId").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no line with request id " + requestId + " in " + file));
    }

    private static String read(Path file) {
        try {
            return java.nio.file.Files.exists(file) ? java.nio.file.Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
