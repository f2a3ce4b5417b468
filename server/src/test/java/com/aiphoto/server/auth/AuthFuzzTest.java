package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random and mutated requests against every auth endpoint: whatever arrives, the answer is a 4xx or a 2xx, never a
 * 5xx, and the server stays healthy. Bounded (a fixed number of requests from a fixed seed, so a failure replays);
 * {@code -Dfuzz.seed=N -Dfuzz.requests=N} change both.
 */
class AuthFuzzTest {
    private static final List<String> POST_PATHS = List.of(
            "/api/auth/send-code",
            "/api/auth/login",
            "/api/auth/password-login",
            "/api/auth/wechat-login",
            "/api/auth/refresh",
            "/api/auth/logout",
            "/api/auth/set-password");
    private static final List<String> FIELDS = List.of(
            "phone", "code", "password", "newPassword", "oldPassword", "refreshToken", "planId", "__proto__", "");
    private static final List<String> CONTENT_TYPES = List.of(
            "application/json",
            "application/json; charset=utf-8",
            "application/json; charset=iso-8859-1",
            "text/plain",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "application/xml",
            "*/*",
            ";;;");
    private static final List<String> ACCEPTS =
            List.of("application/json", "text/plain", "text/html", "*/*", "application/xml;q=0.1", "garbage/;;");

    @TempDir
    Path dir;

    @Test
    void randomAndMutatedRequestsNeverGetA5xx() throws Exception {
        long seed = Long.getLong("fuzz.seed", 20261202L);
        int requests = Integer.getInteger("fuzz.requests", 3000);
        Random random = new Random(seed);
        // limits are part of what is fuzzed, but with the defaults most requests would only ever see 429
        FakeTencentSms sms = new FakeTencentSms();
        Map<String, String> settings = new HashMap<>(sms.settings());
        settings.putAll(Map.of(
                "AUTH_IP_PER_MINUTE",
                "100000",
                "BCRYPT_COST",
                "10",
                "BCRYPT_MAX_WAIT",
                "5s",
                "SMS_HOURLY_BUDGET",
                "100000",
                "SMS_DAILY_BUDGET",
                "100000"));
        AiPhotoServer.Running running = TestServers.start(dir, settings);
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String base = "http://127.0.0.1:" + running.port();
        List<String> failures = new ArrayList<>();
        int clientErrors = 0;
        try {
            String token = validAccessToken(client, base, sms);
            for (int i = 0; i < requests && failures.size() < 20; i++) {
                HttpRequest request = request(random, base, token);
                HttpResponse<String> res;
                try {
                    res = client.send(request, HttpResponse.BodyHandlers.ofString());
                } catch (IOException e) {
                    failures.add(i + ": " + request.method() + " " + request.uri() + " -> " + e);
                    continue;
                }
                if (res.statusCode() >= 500) {
                    failures.add(i + ": " + request.method() + " "
                            + request.uri().getPath() + " -> " + res.statusCode() + " " + res.body());
                }
                if (res.statusCode() >= 400 && !"HEAD".equals(request.method())) {
                    clientErrors++;
                    assertTrue(res.body().startsWith("{\"success\":false"), i + ": not the envelope: " + res.body());
                }
            }
            HttpResponse<String> health = client.send(
                    HttpRequest.newBuilder(URI.create(base + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), "still healthy after the run");
        } finally {
            running.stop();
            sms.close();
        }
        assertEquals(List.of(), failures, "seed " + seed);
        assertTrue(clientErrors > requests / 2, "the fuzz mostly sent bad input: " + clientErrors + " refusals");
    }

    /** A real access token, so some requests pass authentication and reach the handlers behind it. */
    private static String validAccessToken(HttpClient client, String base, FakeTencentSms sms) throws Exception {
        String phone = "13800138000";
        send(client, base + "/api/auth/send-code", "{\"phone\":\"" + phone + "\"}");
        String body = send(
                client,
                base + "/api/auth/login",
                "{\"phone\":\"" + phone + "\",\"code\":\"" + sms.lastCode(phone) + "\"}");
        int at = body.indexOf("\"accessToken\":\"");
        assertTrue(at >= 0, body);
        return body.substring(at + 15, body.indexOf('"', at + 15));
    }

    private static String send(HttpClient client, String url, String json) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(json))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    private static HttpRequest request(Random r, String base, String token) {
        boolean get = r.nextInt(8) == 0;
        String path = get ? "/api/auth/me" : POST_PATHS.get(r.nextInt(POST_PATHS.size()));
        if (r.nextInt(20) == 0) {
            path += pick(r, List.of("/", "?x=" + junk(r, 20).replace("#", ""), "/../me", "%00", "?" + "a=".repeat(50)));
        }
        HttpRequest.Builder b =
                HttpRequest.newBuilder(URI.create(base + encodePath(path))).timeout(Duration.ofSeconds(30));
        if (r.nextInt(4) != 0) {
            b.header("Content-Type", pick(r, CONTENT_TYPES));
        }
        if (r.nextInt(3) == 0) {
            b.header("Accept", pick(r, ACCEPTS));
        }
        if (r.nextInt(2) == 0) {
            b.header("Authorization", headerSafe(authorization(r, token)));
        }
        if (r.nextInt(5) == 0) {
            b.header(
                    "X-Forwarded-For",
                    pick(
                            r,
                            List.of(
                                    "1.2.3.4",
                                    "2001:db8::1",
                                    "deadbeef.cafe.de",
                                    "1.2.3.4, 5.6.7.8",
                                    "::ffff:10.0.0.1",
                                    "999.1.1.1",
                                    "[::1]:80",
                                    ",,,",
                                    junk(r, 40))));
        }
        if (r.nextInt(5) == 0) {
            b.header("X-Request-Id", pick(r, List.of("abc", "x".repeat(200), "a b c", "<script>", junk(r, 30))));
        }
        byte[] body = body(r);
        return get
                ? b.method(r.nextBoolean() ? "GET" : "HEAD", HttpRequest.BodyPublishers.noBody())
                        .build()
                : b.POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    /** The JDK client refuses control characters in header values (the wire could carry them; it cannot). */
    private static String headerSafe(String value) {
        StringBuilder sb = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            sb.append(c < 0x20 || c > 0x7e ? 'x' : c);
        }
        return sb.toString();
    }

    private static String encodePath(String path) {
        return path.replace("%", "%25")
                .replace("%2500", "%00")
                .replace(" ", "%20")
                .replace("\"", "%22")
                .replace("<", "%3C")
                .replace(">", "%3E")
                .replace("\\", "%5C")
                .replace("^", "%5E")
                .replace("`", "%60")
                .replace("{", "%7B")
                .replace("|", "%7C")
                .replace("}", "%7D");
    }

    private static String authorization(Random r, String token) {
        String t = token;
        return switch (r.nextInt(7)) {
            case 0 -> "Bearer " + t;
            case 1 -> "Bearer " + mutate(r, t);
            case 2 -> "bearer " + t;
            case 3 -> "Basic dXNlcjpwYXNz";
            case 4 -> "Bearer ";
            case 5 -> "Bearer " + "eyJhbGciOiJub25lIn0." + t.substring(t.indexOf('.') + 1);
            default -> junk(r, 100);
        };
    }

    private static byte[] body(Random r) {
        return switch (r.nextInt(6)) {
            case 0 -> randomJson(r, 0).getBytes(StandardCharsets.UTF_8);
            case 1 -> mutate(r, validBody(r)).getBytes(StandardCharsets.UTF_8);
            case 2 -> {
                String v = validBody(r);
                yield v.substring(0, r.nextInt(v.length())).getBytes(StandardCharsets.UTF_8);
            }
            case 3 -> {
                byte[] b = new byte[r.nextInt(64)];
                r.nextBytes(b);
                yield b;
            }
            case 4 -> ("{\"" + pick(r, FIELDS) + "\":" + oddValue(r) + "}").getBytes(StandardCharsets.UTF_8);
            default -> validBody(r).getBytes(StandardCharsets.UTF_8);
        };
    }

    /** A body of the right shape for some endpoint, with plausible values. */
    private static String validBody(Random r) {
        String phone = "13" + (100000000 + r.nextInt(899999999));
        return switch (r.nextInt(5)) {
            case 0 -> "{\"phone\":\"" + phone + "\"}";
            case 1 -> "{\"phone\":\"" + phone + "\",\"code\":\"" + (100000 + r.nextInt(899999)) + "\"}";
            case 2 -> "{\"phone\":\"" + phone + "\",\"password\":\"correct-horse-" + r.nextInt(1000) + "\"}";
            case 3 -> "{\"refreshToken\":\"" + junk(r, 43) + "\"}";
            default -> "{\"newPassword\":\"new-password-" + r.nextInt(1000) + "\",\"oldPassword\":\"x\"}";
        };
    }

    private static String oddValue(Random r) {
        return switch (r.nextInt(12)) {
            case 0 -> "null";
            case 1 -> "true";
            case 2 -> "-0";
            case 3 -> "1e309";
            case 4 -> "123456789012345678901234567890";
            case 5 -> "[]";
            case 6 -> "{}";
            case 7 -> "\"" + "9".repeat(10_000) + "\"";
            case 8 -> "\"\\ud800\"";
            case 9 -> "\"\\u0000\\u001f\"";
            case 10 -> "\"" + "\u4e2d\u6587\ud83d\ude00" + "\"";
            default -> "\"" + junk(r, 20).replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        };
    }

    private static String randomJson(Random r, int depth) {
        if (depth > 3) {
            return oddValue(r);
        }
        return switch (r.nextInt(4)) {
            case 0 -> {
                StringBuilder sb = new StringBuilder("{");
                int n = r.nextInt(4);
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : ",")
                            .append('"')
                            .append(pick(r, FIELDS))
                            .append("\":")
                            .append(randomJson(r, depth + 1));
                }
                yield sb.append('}').toString();
            }
            case 1 -> "[" + randomJson(r, depth + 1) + "," + randomJson(r, depth + 1) + "]";
            default -> oddValue(r);
        };
    }

    /** One of: a character dropped, doubled, replaced, or a JSON token inserted. */
    private static String mutate(Random r, String s) {
        if (s.isEmpty()) {
            return "{";
        }
        int at = r.nextInt(s.length());
        return switch (r.nextInt(4)) {
            case 0 -> s.substring(0, at) + s.substring(at + 1);
            case 1 -> s.substring(0, at) + s.charAt(at) + s.substring(at);
            case 2 -> s.substring(0, at) + (char) (32 + r.nextInt(95)) + s.substring(at + 1);
            default ->
                s.substring(0, at)
                        + pick(r, List.of("\"", "{", "}", ",", ":", "\\", "null", "\u0000"))
                        + s.substring(at);
        };
    }

    private static String junk(Random r, int max) {
        StringBuilder sb = new StringBuilder();
        int n = 1 + r.nextInt(max);
        for (int i = 0; i < n; i++) {
            sb.append((char) (33 + r.nextInt(94)));
        }
        return sb.toString();
    }

    private static <T> T pick(Random r, List<T> list) {
        return list.get(r.nextInt(list.size()));
    }
}
