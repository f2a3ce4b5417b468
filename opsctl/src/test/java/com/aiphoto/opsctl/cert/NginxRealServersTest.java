package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shipped nginx configuration in front of two real server instances (embedded default each): requests
 * reach both, the API answers through nginx in its envelope, and one X-Request-Id holds from the client through
 * nginx to the server and back. {@link NginxConfigTest} covers the rest of the configuration with stand-ins.
 */
class NginxRealServersTest {
    @TempDir
    static Path dir;

    static AiPhotoServer.Running one;
    static AiPhotoServer.Running two;
    static Nginx nginx;
    static TestPki pki;

    /** A fixture route naming the instance and what it received from nginx. */
    private static HttpService whoAmI(String name) {
        return new HttpService() {
            @Override
            public void routing(HttpRules rules) {
                rules.get(
                        "/api/test-instance",
                        (req, res) -> res.header("Content-Type", "application/json")
                                .send("{\"instance\":\"" + name + "\",\"requestId\":\""
                                        + req.headers()
                                                .first(io.helidon.http.HeaderNames.create("X-Request-Id"))
                                                .orElse("")
                                        + "\"}"));
            }
        };
    }

    @BeforeAll
    static void start() throws Exception {
        one = AiPhotoServer.start(TestServers.settings(dir.resolve("one"), Map.of()), p -> whoAmI("one"));
        two = AiPhotoServer.start(TestServers.settings(dir.resolve("two"), Map.of()), p -> whoAmI("two"));
        pki = new TestPki("nginx real servers");
        nginx = Nginx.startedWithTestCertificate(dir.resolve("nginx"), List.of(one.port(), two.port()), pki);
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        for (AiPhotoServer.Running s : new AiPhotoServer.Running[] {one, two}) {
            if (s != null) {
                s.stop();
            }
        }
    }

    @Test
    void bothInstancesServeThroughNginxWithOneRequestIdEndToEnd() throws Exception {
        HttpClient c = HttpClient.newBuilder()
                .sslContext(pki.clientContext())
                .localAddress(InetAddress.getByName("127.0.0.9"))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        Set<String> instances = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            String id = "nginx-real-" + i;
            HttpResponse<String> r = c.send(
                    HttpRequest.newBuilder(URI.create("https://localhost:" + nginx.httpsPort + "/api/test-instance"))
                            .header("X-Request-Id", id)
                            .timeout(Duration.ofSeconds(20))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), r.body());
            Map<?, ?> body = Cli.json(r.body());
            instances.add((String) body.get("instance"));
            assertEquals(id, body.get("requestId"), "the server got the client's id through nginx");
            assertEquals(List.of(id), r.headers().allValues("X-Request-Id"), "and answered with it, once");
        }
        assertEquals(Set.of("one", "two"), instances, "least_conn spreads requests over both instances");

        // a real API route through nginx: the server's own envelope, its JSON content type
        HttpResponse<String> plans = c.send(
                HttpRequest.newBuilder(URI.create("https://localhost:" + nginx.httpsPort + "/api/membership/plans"))
                        .timeout(Duration.ofSeconds(20))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, plans.statusCode(), plans.body());
        assertEquals(Boolean.TRUE, Cli.json(plans.body()).get("success"), plans.body());
        assertTrue(plans.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    }
}
