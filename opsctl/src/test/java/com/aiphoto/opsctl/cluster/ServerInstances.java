package com.aiphoto.opsctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.opsctl.cert.Nginx;
import com.aiphoto.opsctl.cert.TestPki;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * Real server instances for the cluster tests: each the server's Main in a child JVM (production logging into its
 * own LOG_DIR), on one scratch database and one Redis prefix of their own, sharing one DATA_DIR, started and
 * restarted by {@code instance.sh start|restart PORT} (the restart command opsctl runs, as systemctl restart would),
 * behind the shipped nginx ({@link #startBehindNginx}). {@link #close} removes all of it. Also what those tests'
 * clients share: users with a password, and HTTP clients on their own loopback addresses (nginx limits per address).
 */
public final class ServerInstances implements AutoCloseable {
    public static final String JWT_SECRET = "cluster-test-jwt-secret-0123456789-abcdefgh";

    private final Path dir;
    private final TestDatabases.Scratch db;
    private final String redisPrefix;
    private final Map<Integer, Integer> adminPorts = new LinkedHashMap<>();
    private Path script;
    private TestPki pki;
    private Nginx nginx;

    /** A scratch database named after {@code label} and a Redis prefix; nothing started yet. */
    public ServerInstances(Path dir, String label) {
        this.dir = dir;
        this.db = TestDatabases.create(label);
        this.redisPrefix = TestRedis.randomPrefix();
    }

    public TestDatabases.Scratch db() {
        return db;
    }

    public String redisPrefix() {
        return redisPrefix;
    }

    /**
     * Starts every instance (the first migrates the scratch database, APP_ENV=test; the others join), then nginx
     * over all of them with a certificate of a new test PKI, {@code pkiName}.
     */
    public Nginx startBehindNginx(String pkiName) throws Exception {
        for (int port : adminPorts.keySet()) {
            start(port);
        }
        pki = new TestPki(pkiName);
        nginx = Nginx.startedWithTestCertificate(dir.resolve("nginx"), ports(), pki);
        return nginx;
    }

    /** What {@link #startBehindNginx} started; clients trust its PKI. */
    public Nginx nginx() {
        return nginx;
    }

    public TestPki pki() {
        return pki;
    }

    /**
     * Writes the instances' env files (the common test settings, then {@code extra}) and {@code instance.sh} for
     * {@code count} instances on free ports; returns the script. {@code extra} may name {@code {port}}.
     */
    public Path write(int count, Map<String, String> extra) throws IOException {
        for (int i = 0; i < count; i++) {
            adminPorts.put(freePort(), freePort());
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        String cp = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
        // the server's logback-test.xml is off the class path: production logging, into each LOG_DIR
        Files.writeString(
                dir.resolve("java.args"),
                "-XX:+IgnoreUnrecognizedVMOptions\n--sun-misc-unsafe-memory-access=allow\n-Xmx256m\n-XX:TieredStopAtLevel=1\n-cp\n"
                        + cp + "\ncom.aiphoto.server.Main\n");
        for (var e : adminPorts.entrySet()) {
            Map<String, String> s = new HashMap<>(db.settings());
            s.putAll(TestRedis.serverSettings(redisPrefix));
            s.put("APP_ENV", "test");
            s.put("HOST", "127.0.0.1");
            s.put("PORT", Integer.toString(e.getKey()));
            s.put("ADMIN_HOST", "127.0.0.1");
            s.put("ADMIN_PORT", Integer.toString(e.getValue()));
            s.put("LOG_DIR", logDir(e.getKey()).toString());
            s.put("DATA_DIR", dir.resolve("data").toString());
            s.put("JWT_SECRET", JWT_SECRET);
            s.put("TRUSTED_PROXIES", "127.0.0.1/32");
            s.put("SHUTDOWN_DRAIN_DELAY", "0s");
            s.put("SHUTDOWN_TIMEOUT", "10s");
            s.put("DISK_MIN_FREE", "1MB");
            s.put("SCHEDULER_POLL_INTERVAL", "5s");
            extra.forEach((k, v) -> s.put(k, v.replace("{port}", Integer.toString(e.getKey()))));
            Files.write(
                    dir.resolve("api-" + e.getKey() + ".env"),
                    s.entrySet().stream()
                            .map(x -> x.getKey() + "=" + x.getValue())
                            .toList());
        }
        script = dir.resolve("instance.sh");
        Files.writeString(script, """
                #!/bin/sh
                set -eu
                cd '%1$s'
                port="$2"
                pidfile="api-$port.pid"
                if [ "$1" = restart ] && [ -f "$pidfile" ]; then
                  pid=$(cat "$pidfile")
                  kill -TERM "$pid" 2>/dev/null || true
                  # gone, or a zombie nobody reaps here
                  while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do sleep 0.1; done
                fi
                env -i PATH="$PATH" HOME="$HOME" AI_PHOTO_ENV_FILE='%1$s'/api-$port.env \\
                  nohup '%2$s' @'%1$s'/java.args >> "api-$port.out" 2>&1 < /dev/null &
                echo $! > "$pidfile"
                """.formatted(dir, java), StandardCharsets.UTF_8);
        return script;
    }

    /** The API ports, in the order they were written. */
    public List<Integer> ports() {
        return new ArrayList<>(adminPorts.keySet());
    }

    public int adminPort(int port) {
        return adminPorts.get(port);
    }

    public Path logDir(int port) {
        return dir.resolve("logs-" + port);
    }

    /** Starts the instance on {@code port} and waits until it answers /health (the first start migrates). */
    public void start(int port) throws Exception {
        run("sh", script.toString(), "start", Integer.toString(port));
        awaitListening(port, Duration.ofSeconds(90));
    }

    /** SIGKILL (no shutdown hooks, nothing drained), and waits until the process is gone. */
    public void kill(int port) throws Exception {
        ProcessHandle p = ProcessHandle.of(pid(port))
                .orElseThrow(() -> new AssertionError("instance " + port + " is not running"));
        p.destroyForcibly();
        p.onExit().get(30, TimeUnit.SECONDS);
    }

    public long pid(int port) throws IOException {
        return Long.parseLong(
                Files.readString(dir.resolve("api-" + port + ".pid")).strip());
    }

    /** Kills every instance still running, stops nginx, removes the Redis keys and the database. */
    @Override
    public void close() throws Exception {
        try {
            for (int port : adminPorts.keySet()) {
                if (Files.exists(dir.resolve("api-" + port + ".pid"))) {
                    ProcessHandle.of(pid(port)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            if (nginx != null) {
                nginx.close();
            }
        } finally {
            try {
                TestRedis.deleteByPrefix(redisPrefix);
            } finally {
                db.close();
            }
        }
    }

    private static void run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), outText);
    }

    private void awaitListening(int port, Duration max) throws Exception {
        long end = System.nanoTime() + max.toNanos();
        HttpClient c = HttpClient.newHttpClient();
        while (System.nanoTime() < end) {
            try {
                if (c.send(
                                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health"))
                                                .timeout(Duration.ofSeconds(2))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            sleep(200);
        }
        throw new AssertionError(
                "instance on " + port + " did not start: " + Files.readString(dir.resolve("api-" + port + ".out")));
    }

    /** A user with {@code password} (bcrypt cost 4: logins stay cheap) and no quota; its id. */
    public static long createUser(TestDatabases.Scratch db, String phone, String password) throws Exception {
        DataSource ds = TestDatabases.driver().dataSource(db.name());
        String hash = OpenBSDBCrypt.generate("2b", password.toCharArray(), Secrets.randomBytes(16), 4);
        try (Connection c = ds.getConnection();
                PreparedStatement st = c.prepareStatement(
                        "INSERT INTO users (phone, password_hash, role, quota_balance, created_at, updated_at)"
                                + " VALUES (?, ?, 'user', 0, ?, ?)",
                        java.sql.Statement.RETURN_GENERATED_KEYS)) {
            java.sql.Timestamp now = java.sql.Timestamp.from(Instant.now());
            st.setString(1, phone);
            st.setString(2, hash);
            st.setTimestamp(3, now);
            st.setTimestamp(4, now);
            st.executeUpdate();
            try (ResultSet keys = st.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    public static int freePort() throws IOException {
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
