package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real server, started in-process on 127.0.0.1 with its logs and data in a test's directory. */
final class HealthServers {
    private HealthServers() {}

    /** The server suite's test settings (TestServers), plus where opsctl looks for backups and certificates. */
    static Map<String, String> settings(Path dir, Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>();
        m.put("BACKUP_DIR", dir.resolve("backups").toString());
        m.put("CERT_DIR", dir.resolve("certs").toString());
        m.put("SHUTDOWN_TIMEOUT", "1s");
        m.putAll(overrides);
        Settings s = TestServers.settings(dir, m);
        Map<String, String> all = new HashMap<>();
        for (String k : s.keys()) {
            s.find(k).ifPresent(v -> all.put(k, v));
        }
        return all;
    }

    /** An environment whose server is not running: nothing listens on its ports. */
    static Map<String, String> nothingListening(Path dir, Map<String, String> overrides) throws IOException {
        Map<String, String> env = settings(dir, overrides);
        env.put("PORT", Integer.toString(freePort()));
        env.put("ADMIN_PORT", Integer.toString(freePort()));
        return env;
    }

    static AiPhotoServer.Running start(Map<String, String> settings) {
        return AiPhotoServer.start(Settings.of(settings));
    }

    /** The environment opsctl gets: the server's settings with the ports it really listens on. */
    static Map<String, String> opsctlEnv(Map<String, String> settings, AiPhotoServer.Running running) {
        Map<String, String> env = new HashMap<>(settings);
        env.put("PORT", Integer.toString(running.port()));
        env.put("ADMIN_PORT", Integer.toString(running.adminPort()));
        return env;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** {@code dir/<name>/fullchain.pem}: a self-signed certificate valid {@code days} more days (keytool). */
    static void certificate(Path certDir, String name, int days) throws IOException, InterruptedException {
        Path d = Files.createDirectories(certDir.resolve(name));
        Path ks = d.resolve("ks.p12");
        String keytool =
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(
                d,
                keytool,
                "-genkeypair",
                "-alias",
                "t",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=" + name,
                "-validity",
                Integer.toString(days),
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-storetype",
                "PKCS12");
        run(
                d,
                keytool,
                "-exportcert",
                "-rfc",
                "-alias",
                "t",
                "-keystore",
                ks.toString(),
                "-storepass",
                "changeit",
                "-file",
                d.resolve("fullchain.pem").toString());
        Files.delete(ks);
    }

    private static void run(Path dir, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(List.of(cmd))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }
}
