package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's pebble (the ACME test server; 2.6 from trixie has renewal information, bookworm's 2.4 has not: see
 * {@link AriStub}) as a child process, with a TLS certificate from a test CA and pebble-challtestsrv as its DNS
 * server answering 127.0.0.1 for every name, so HTTP-01 validation reaches our nginx on {@code httpPort}.
 * Validation sleeps are off (PEBBLE_VA_NOSLEEP) and so is the reuse of earlier authorizations
 * (PEBBLE_AUTHZREUSE=0); its 5 % bad-nonce rejection stays on.
 */
final class Pebble implements AutoCloseable {
    final int port;
    final int managementPort;
    /** Whether this pebble serves renewal information (2.6 does, bookworm's 2.4 does not). */
    boolean ari;

    private final Process dns;
    private final Process pebble;

    Pebble(Path dir, TestPki pki, int httpPort) throws Exception {
        Path bin = binary();
        Path challtestsrv = bin.resolveSibling("pebble-challtestsrv");
        Files.createDirectories(dir);
        TestPki.Leaf tls = pki.leaf(List.of("localhost", "127.0.0.1"), Duration.ofDays(30));
        Files.writeString(dir.resolve("cert.pem"), tls.fullchain());
        Files.writeString(dir.resolve("key.pem"), tls.keyPem());
        port = Nginx.freePort();
        managementPort = Nginx.freePort();
        int dnsPort = Nginx.freePort();
        int dnsManagement = Nginx.freePort();
        Files.writeString(dir.resolve("pebble.json"), """
                {"pebble": {
                  "listenAddress": "127.0.0.1:%d",
                  "managementListenAddress": "127.0.0.1:%d",
                  "certificate": "%s",
                  "privateKey": "%s",
                  "httpPort": %d,
                  "tlsPort": %d,
                  "ocspResponderURL": "",
                  "externalAccountBindingRequired": false
                }}
                """.formatted(
                port, managementPort, dir.resolve("cert.pem"), dir.resolve("key.pem"), httpPort, Nginx.freePort()));
        List<String> dnsCommand = new ArrayList<>(List.of(
                challtestsrv.toString(),
                "-dns01",
                "127.0.0.1:" + dnsPort,
                "-management",
                "127.0.0.1:" + dnsManagement,
                "-http01",
                "",
                "-https01",
                "",
                "-tlsalpn01",
                "",
                "-defaultIPv4",
                "127.0.0.1",
                "-defaultIPv6",
                ""));
        if (offers(challtestsrv, "-doh")) {
            // 2.6 also serves DNS over HTTPS by default (bookworm's 2.4 has no such flag)
            dnsCommand.addAll(List.of("-doh", ""));
        }
        dns = new ProcessBuilder(dnsCommand)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("challtestsrv.log").toFile())
                .start();
        ProcessBuilder pb = new ProcessBuilder(
                        bin.toString(),
                        "-config",
                        dir.resolve("pebble.json").toString(),
                        "-dnsserver",
                        "127.0.0.1:" + dnsPort)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("pebble.log").toFile());
        pb.environment().put("PEBBLE_VA_NOSLEEP", "1");
        // every order validates HTTP-01 through nginx (by default pebble reuses half the valid authorizations)
        pb.environment().put("PEBBLE_AUTHZREUSE", "0");
        pebble = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!Nginx.listening(port) || !Nginx.listening(managementPort) || !Nginx.listening(dnsManagement)) {
            if (!pebble.isAlive() || !dns.isAlive() || System.nanoTime() > deadline) {
                fail("pebble did not start: " + Files.readString(dir.resolve("pebble.log"))
                        + Files.readString(dir.resolve("challtestsrv.log")));
            }
            Nginx.sleep(50);
        }
    }

    /** Whether {@code binary}'s usage text lists {@code flag} (the Go flag package prints it for -h). */
    private static boolean offers(Path binary, String flag) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(binary.toString(), "-h")
                .redirectErrorStream(true)
                .start();
        String usage = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return usage.lines()
                .anyMatch(l -> l.strip().startsWith(flag + " ") || l.strip().equals(flag));
    }

    /** Reads the directory once: it names the renewal-info endpoint when pebble offers ARI. */
    void detectAri(TestPki pki) throws Exception {
        HttpClient c = HttpClient.newBuilder().sslContext(pki.clientContext()).build();
        String dir = c.send(
                        HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/dir"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        ari = dir.contains("\"renewalInfo\"");
    }

    static Path binary() {
        Path trixie = Path.of(System.getProperty("user.home"), ".cache/ai-photo-dev/pebble-trixie/usr/bin/pebble");
        return Nginx.tool(
                "PEBBLE_BIN",
                Files.isExecutable(trixie) ? trixie : Path.of("/usr/bin/pebble"),
                "pebble (deploy/dev/test.sh fetches it)");
    }

    String directory() {
        return "https://127.0.0.1:" + port + "/dir";
    }

    /** PEM of the root pebble signs with (made at its start), from its management interface. */
    String rootPem(TestPki pki) throws Exception {
        HttpClient c = HttpClient.newBuilder().sslContext(pki.clientContext()).build();
        HttpResponse<String> r = c.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + managementPort + "/roots/0"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            fail("pebble root: " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        for (Process p : List.of(pebble, dns)) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}
