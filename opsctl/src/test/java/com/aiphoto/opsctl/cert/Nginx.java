package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;

/**
 * A real nginx, run as a child process of the test on free high ports, on the shipped {@code nginx/} templates
 * rendered by the shipped {@code deploy/nginx/render.sh}. The certificate it serves is
 * {@code <certDir>/site/fullchain.pem} + {@code privkey.pem}; the ACME webroot is {@code webroot}.
 */
public final class Nginx implements AutoCloseable {
    static final String CERT_NAME = "site";

    public final Path dir;
    final Path conf;
    final Path certDir;
    final Path webroot;
    final int httpPort;
    public final int httpsPort;
    private final Path binary;
    private Process process;

    /** Rendered for {@code upstreamPorts}, serving a 30-day leaf of {@code pki} for the test names, started. */
    public static Nginx startedWithTestCertificate(Path dir, List<Integer> upstreamPorts, TestPki pki)
            throws Exception {
        Nginx nginx = new Nginx(dir, upstreamPorts);
        TestPki.write(
                pki.leaf(List.of("localhost", "api.example.test", "127.0.0.1"), java.time.Duration.ofDays(30)),
                nginx.certDir.resolve(CERT_NAME));
        nginx.start();
        return nginx;
    }

    /** Renders the config for the given upstream ports; starts nothing. */
    Nginx(Path dir, List<Integer> upstreamPorts) throws IOException {
        this.binary = binary();
        this.dir = dir;
        this.conf = dir.resolve("conf");
        this.certDir = dir.resolve("ssl");
        this.webroot = dir.resolve("webroot");
        this.httpPort = freePort();
        this.httpsPort = freePort();
        Files.createDirectories(certDir.resolve(CERT_NAME));
        Files.createDirectories(webroot);
        Files.createDirectories(dir.resolve("logs"));
        Files.createDirectories(dir.resolve("site"));
        Files.writeString(dir.resolve("site/index.html"), "<h1>ai-photo</h1>\n");
        Map<String, String> env = Map.ofEntries(
                Map.entry("NGINX_USER", "root"), // the test's temp dirs are private to root
                Map.entry("NGINX_PID_FILE", dir.resolve("nginx.pid").toString()),
                Map.entry("NGINX_LOG_DIR", dir.resolve("logs").toString()),
                Map.entry("NGINX_HTTP_PORT", Integer.toString(httpPort)),
                Map.entry("NGINX_HTTPS_PORT", Integer.toString(httpsPort)),
                Map.entry("CERT_DIR", certDir.toString()),
                Map.entry("NGINX_CERT_NAME", CERT_NAME),
                Map.entry("ACME_WEBROOT", webroot.toString()),
                Map.entry("NGINX_SITE_ROOT", dir.resolve("site").toString()),
                Map.entry("NGINX_SERVER_NAME", "localhost example.test"),
                Map.entry("NGINX_API_SERVER_NAME", "api.example.test"),
                Map.entry(
                        "NGINX_UPSTREAMS",
                        upstreamPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(" "))));
        Run r = render(conf, env);
        if (r.code != 0) {
            fail("render.sh failed: " + r.output);
        }
    }

    /** deploy/nginx/render.sh OUT with exactly {@code env} (plus PATH). */
    static Run render(Path out, Map<String, String> env) {
        List<String> cmd =
                List.of("bash", repoRoot().resolve("deploy/nginx/render.sh").toString(), out.toString());
        return exec(cmd, env, true);
    }

    /** The repository root (tests run in the module directory). */
    static Path repoRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("nginx/nginx.conf"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException(
                    "no nginx/nginx.conf above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    /** nginx from NGINX_BIN (deploy/dev/test.sh exports it) or its Debian place; a failure under CI=true. */
    static Path binary() {
        return tool("NGINX_BIN", Path.of("/usr/sbin/nginx"), "nginx (apt-get install nginx, or deploy/dev/test.sh)");
    }

    static Path tool(String env, Path fallback, String what) {
        String configured = System.getenv(env);
        Path p = configured != null && !configured.isBlank() ? Path.of(configured) : fallback;
        if (!Files.isExecutable(p)) {
            String msg = what + " not found at " + p;
            if ("true".equals(System.getenv("CI"))) {
                fail(msg + " (CI=true: a missing test tool is a failure, not a skip)");
            }
            Assumptions.abort(msg);
        }
        return p;
    }

    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of(
                binary.toString(),
                "-c",
                conf.resolve("nginx.conf").toString(),
                "-e",
                dir.resolve("logs/error.log").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** The shell command line of {@code nginx -t} / {@code nginx -s reload} for this instance. */
    String shell(String... args) {
        return command(args).stream().map(a -> "'" + a + "'").collect(Collectors.joining(" "));
    }

    Run test() {
        return exec(command("-t"), Map.of(), false);
    }

    void start() throws IOException {
        Run t = test();
        if (t.code != 0) {
            fail("nginx -t failed: " + t.output);
        }
        process = new ProcessBuilder(command("-g", "daemon off;"))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("logs/stdout.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!listening(httpsPort) || !listening(httpPort)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("nginx did not start: " + Files.readString(dir.resolve("logs/stdout.log"))
                        + Files.readString(dir.resolve("logs/error.log")));
            }
            sleep(50);
        }
    }

    void reload() {
        Run r = exec(command("-s", "reload"), Map.of(), false);
        if (r.code != 0) {
            fail("nginx reload failed: " + r.output);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy(); // SIGTERM: nginx's fast shutdown, workers included
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    record Run(int code, String output) {}

    static Run exec(List<String> cmd, Map<String, String> env, boolean clearEnv) {
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            if (clearEnv) {
                String path = pb.environment().get("PATH");
                pb.environment().clear();
                pb.environment().put("PATH", path);
            }
            pb.environment().putAll(env);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out: " + cmd);
            }
            return new Run(p.exitValue(), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
