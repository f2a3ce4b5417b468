package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped nginx configuration, rendered by the shipped script and run by a real nginx in front of two
 * stand-in API instances. Each test speaks from its own loopback address (127.0.0.N), so the per-address rate
 * limits of one test do not leak into another.
 */
class NginxConfigTest {
    @TempDir
    static Path dir;

    static EchoBackend a;
    static EchoBackend b;
    static Nginx nginx;
    static TestPki pki;

    @BeforeAll
    static void start() throws Exception {
        a = new EchoBackend("a");
        b = new EchoBackend("b");
        pki = new TestPki("nginx test");
        nginx = Nginx.startedWithTestCertificate(dir, List.of(a.port(), b.port()), pki);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
    }

    private static HttpClient client(int lastOctet) throws Exception {
        return HttpClient.newBuilder()
                .sslContext(pki.clientContext())
                .localAddress(InetAddress.getByName("127.0.0." + lastOctet))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest.Builder https(String path) {
        return HttpRequest.newBuilder(URI.create("https://localhost:" + nginx.httpsPort + path))
                .timeout(Duration.ofSeconds(20));
    }

    private static HttpResponse<String> send(HttpClient c, HttpRequest r) throws Exception {
        return c.send(r, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void nginxAcceptsTheShippedConfigAndRenderRefusesAMissingVariable() throws Exception {
        Nginx.Run t = nginx.test();
        assertEquals(0, t.code(), t.output());
        assertTrue(t.output().contains("syntax is ok"), t.output());
        String upstream = Files.readString(nginx.conf.resolve("conf.d/upstream.conf"));
        assertTrue(upstream.contains("server 127.0.0.1:" + a.port() + " max_fails=3"), upstream);
        assertTrue(upstream.contains("server 127.0.0.1:" + b.port() + " max_fails=3"), upstream);

        Nginx.Run r = Nginx.render(dir.resolve("incomplete"), Map.of("NGINX_SERVER_NAME", "example.test"));
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().contains("unset: ") && r.output().contains("NGINX_UPSTREAMS"), r.output());
    }

    @Test
    void apiRequestsReachBothInstancesOverHttp2WithForwardedHeadersAndSecurityHeaders() throws Exception {
        HttpClient c = client(2);
        Set<String> backends = new HashSet<>();
        for (int i = 0; i < 8; i++) {
            HttpResponse<String> r = send(c, https("/api/ping").build());
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(HttpClient.Version.HTTP_2, r.version());
            backends.add(Cli.json(r.body()).get("data") instanceof Map<?, ?> d ? (String) d.get("backend") : "");
            assertEquals(
                    "max-age=63072000; includeSubDomains",
                    r.headers().firstValue("Strict-Transport-Security").orElse(""));
            assertEquals(
                    "nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(""));
            assertEquals("DENY", r.headers().firstValue("X-Frame-Options").orElse(""));
            assertTrue(r.headers().firstValue("Referrer-Policy").isPresent());
            assertEquals(
                    1, r.headers().allValues("X-Request-Id").size(), r.headers().toString());
        }
        assertEquals(Set.of("a", "b"), backends);
        List<EchoBackend.Seen> seen = new ArrayList<>(a.seen);
        seen.addAll(b.seen);
        EchoBackend.Seen s = seen.stream()
                .filter(x -> x.path().equals("/api/ping"))
                .findFirst()
                .orElseThrow();
        assertEquals("127.0.0.2", s.forwardedFor());
        assertEquals("https", s.forwardedProto());
    }

    @Test
    void requestIdIsPassedThroughWhenSaneAndGeneratedOtherwise() throws Exception {
        HttpClient c = client(3);
        HttpResponse<String> given = send(
                c, https("/api/whoami").header("X-Request-Id", "client-id.42").build());
        assertEquals("client-id.42", given.headers().firstValue("X-Request-Id").orElse(""));
        assertTrue(seenIds().contains("client-id.42"));

        for (String bad : List.of("", "has space", "x".repeat(65))) {
            HttpRequest.Builder rb = https("/api/whoami");
            if (!bad.isEmpty()) {
                rb.header("X-Request-Id", bad);
            }
            HttpResponse<String> r = send(c, rb.build());
            String id = r.headers().firstValue("X-Request-Id").orElse("");
            assertTrue(id.matches("[0-9a-f]{32}"), "generated id, got '" + id + "' for '" + bad + "'");
            assertTrue(seenIds().contains(id), "the backend got the same id " + id);
        }
    }

    private static Set<String> seenIds() {
        Set<String> ids = new HashSet<>();
        a.seen.forEach(s -> ids.add(s.requestId()));
        b.seen.forEach(s -> ids.add(s.requestId()));
        return ids;
    }

    @Test
    void port80ServesTheAcmeWebrootAndRedirectsEverythingElse() throws Exception {
        Path challenges = nginx.webroot.resolve(".well-known/acme-challenge");
        Files.createDirectories(challenges);
        Files.writeString(challenges.resolve("tok-123"), "tok-123.thumbprint");
        HttpClient c = client(4);
        HttpResponse<String> token = send(
                c,
                HttpRequest.newBuilder(URI.create(
                                "http://localhost:" + nginx.httpPort + "/.well-known/acme-challenge/tok-123"))
                        .build());
        assertEquals(200, token.statusCode());
        assertEquals("tok-123.thumbprint", token.body());

        HttpResponse<String> missing = send(
                c,
                HttpRequest.newBuilder(
                                URI.create("http://localhost:" + nginx.httpPort + "/.well-known/acme-challenge/nope"))
                        .build());
        assertEquals(404, missing.statusCode());

        HttpResponse<String> other = send(
                c,
                HttpRequest.newBuilder(URI.create("http://localhost:" + nginx.httpPort + "/api/auth/me?x=1"))
                        .build());
        assertEquals(301, other.statusCode());
        assertEquals(
                "https://localhost/api/auth/me?x=1",
                other.headers().firstValue("Location").orElse(""));
    }

    @Test
    void aBurstOnSendCodeGets429InTheEnvelope() throws Exception {
        HttpClient c = client(5);
        int ok = 0;
        List<HttpResponse<String>> limited = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            HttpResponse<String> r = send(
                    c,
                    https("/api/auth/send-code")
                            .POST(HttpRequest.BodyPublishers.ofString("{\"phone\":\"13800000000\"}"))
                            .build());
            if (r.statusCode() == 200) {
                ok++;
            } else {
                limited.add(r);
            }
        }
        assertEquals(4, ok, "one request plus a burst of 3 pass at 5 r/min");
        assertEquals(3, limited.size());
        for (HttpResponse<String> r : limited) {
            assertEquals(429, r.statusCode());
            assertEquals(
                    "application/json", r.headers().firstValue("Content-Type").orElse(""));
            Map<?, ?> body = Cli.json(r.body());
            assertEquals(false, body.get("success"));
            assertEquals(4029, ((Map<?, ?>) body.get("error")).get("code"));
            assertEquals(r.headers().firstValue("X-Request-Id").orElse("?"), body.get("requestId"));
            assertTrue(r.headers().firstValue("Strict-Transport-Security").isPresent());
        }
        // the general API limit is separate: another path from the same address still passes
        assertEquals(200, send(c, https("/api/other").build()).statusCode());
    }

    @Test
    void observeIsNeverExposed() throws Exception {
        HttpClient c = client(6);
        for (String path : List.of("/observe/metrics", "/observe/health", "/observe")) {
            HttpResponse<String> r = send(c, https(path).build());
            assertEquals(404, r.statusCode(), path);
            assertEquals(4040, ((Map<?, ?>) Cli.json(r.body()).get("error")).get("code"));
        }
        assertTrue(a.seen.stream().noneMatch(s -> s.path().startsWith("/observe")));
        assertTrue(b.seen.stream().noneMatch(s -> s.path().startsWith("/observe")));
    }

    @Test
    void bodiesUpTo10MiBPassAndLargerAreRefusedInTheEnvelope() throws Exception {
        HttpClient c = client(7);
        HttpResponse<String> fits = send(
                c,
                https("/api/upload")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[9 * 1024 * 1024]))
                        .build());
        assertEquals(200, fits.statusCode(), fits.body());
        assertEquals(9 * 1024 * 1024, ((Map<?, ?>) Cli.json(fits.body()).get("data")).get("bytes"));

        HttpResponse<String> tooBig = send(
                c,
                https("/api/upload")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[10 * 1024 * 1024 + 1]))
                        .build());
        assertEquals(413, tooBig.statusCode());
        assertEquals(4001, ((Map<?, ?>) Cli.json(tooBig.body()).get("error")).get("code"));
        assertNotEquals("", tooBig.headers().firstValue("X-Request-Id").orElse(""));
    }
}
