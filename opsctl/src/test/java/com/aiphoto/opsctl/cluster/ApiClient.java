package com.aiphoto.opsctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.opsctl.Cli;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A load test's client of the API through nginx: HTTP/1.1 trusting the cluster's test PKI, from its own loopback
 * address 127.0.1.(n + 10) (nginx limits per address), each request with a 30 s bound.
 */
public class ApiClient {
    public final int n;
    private final HttpClient http;
    private final int httpsPort;

    public ApiClient(ServerInstances cluster, int n) throws Exception {
        this.n = n;
        this.httpsPort = cluster.nginx().httpsPort;
        this.http = HttpClient.newBuilder()
                .sslContext(cluster.pki().clientContext())
                .localAddress(InetAddress.getByName("127.0.1." + (n + 10)))
                .connectTimeout(Duration.ofSeconds(10))
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** POST /api/auth/password-login, which must answer 200; its {@code data} (accessToken, refreshToken). */
    public Map<?, ?> passwordLogin(String phone, String password) throws IOException, InterruptedException {
        HttpResponse<String> r = send(
                post("/api/auth/password-login", "{\"phone\":\"" + phone + "\",\"password\":\"" + password + "\"}"));
        assertEquals(200, r.statusCode(), r.body());
        return (Map<?, ?>) Cli.json(r.body()).get("data");
    }

    public HttpRequest.Builder post(String path, String json) {
        return HttpRequest.newBuilder(uri(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
    }

    public HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }

    public URI uri(String path) {
        return URI.create("https://localhost:" + httpsPort + path);
    }
}
