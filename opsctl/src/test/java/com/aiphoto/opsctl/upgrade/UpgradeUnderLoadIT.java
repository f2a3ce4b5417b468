package com.aiphoto.opsctl.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.Opsctl;
import com.aiphoto.opsctl.cluster.ApiClient;
import com.aiphoto.opsctl.cluster.ServerInstances;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling upgrade under load: two real server processes (child JVMs, restarted for real by API_RESTART_CMD)
 * behind the shipped nginx, clients on their own loopback addresses sending GET /health, GET /api/auth/me and
 * POST /api/auth/refresh (a write: each rotation inserts a refresh token row and revokes the previous one) through
 * nginx while {@code opsctl upgrade} backs up, migrates and restarts both instances. Every request must succeed,
 * and every acknowledged rotation must be in the database, none more: a lost or doubled write breaks the chain.
 * Prints the figures. Slow (about a minute): run by failsafe.
 */
class UpgradeUnderLoadIT {
    private static final int CLIENTS = 16;
    /** Each client's minimum; it keeps going until the upgrade has finished. 16 x 320 = 5,120 at least. */
    private static final int PER_CLIENT = 320;
    /** Under nginx's 10 r/s per address for /api/ (burst 20). */
    private static final long PACE_MS = 125;

    private static final String PASSWORD = "load-test-password-1";

    @TempDir
    Path dir;

    private ServerInstances instances;

    @AfterEach
    void cleanUp() throws Exception {
        if (instances != null) {
            instances.close();
        }
    }

    @Test
    void rollingUpgradeOfTwoInstancesUnderLoadFailsNoRequestAndLosesNoWrite() throws Exception {
        instances = new ServerInstances(dir, "upgrade_load");
        TestDatabases.Scratch db = instances.db();
        Path script = instances.write(2, Map.of());
        int apiA = instances.ports().get(0);
        int apiB = instances.ports().get(1);
        int adminA = instances.adminPort(apiA);
        int adminB = instances.adminPort(apiB);

        instances.startBehindNginx("upgrade load");
        long pidA = instances.pid(apiA);
        long pidB = instances.pid(apiB);

        List<Client> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            clients.add(new Client(c, ServerInstances.createUser(db, phone(c), PASSWORD)));
        }
        for (Client c : clients) {
            c.login();
        }

        Map<String, String> env = new HashMap<>(db.settings());
        env.putAll(TestRedis.serverSettings(instances.redisPrefix()));
        env.put("APP_ENV", "test");
        env.put("BACKUP_DIR", dir.resolve("backups").toString());
        env.put("LOG_DIR", dir.resolve("opsctl-logs").toString());
        env.put("API_INSTANCES", "127.0.0.1:" + apiA + "/" + adminA + ",127.0.0.1:" + apiB + "/" + adminB);
        env.put("API_RESTART_CMD", "sh " + script + " restart {port}");

        AtomicBoolean upgradeDone = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long t0 = System.nanoTime();
        List<Future<?>> load = new ArrayList<>();
        CountDownLatch warm = new CountDownLatch(CLIENTS);
        for (Client c : clients) {
            load.add(pool.submit(() -> {
                c.run(upgradeDone, warm);
                return null;
            }));
        }
        warm.await(30, TimeUnit.SECONDS);

        StringWriter out = new StringWriter();
        Writer tee = new Writer() {
            @Override
            public void write(char[] b, int off, int len) {
                System.out.print(new String(b, off, len));
            }

            @Override
            public void flush() {
                System.out.flush();
            }

            @Override
            public void close() {}
        };
        long u0 = System.nanoTime();
        int code = new Opsctl(env, List.of())
                .run(new PrintWriter(out, true), new PrintWriter(tee, true), "--json", "upgrade", "--settle", "12s");
        long upgradeMs = (System.nanoTime() - u0) / 1_000_000;
        upgradeDone.set(true);
        for (Future<?> f : load) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();
        long loadMs = (System.nanoTime() - t0) / 1_000_000;

        int requests = clients.stream().mapToInt(c -> c.requests.get()).sum();
        int failures = clients.stream().mapToInt(c -> c.failures.get()).sum();
        int writes = clients.stream().mapToInt(c -> c.refreshes.get()).sum();
        int duringUpgrade =
                clients.stream().mapToInt(c -> c.duringUpgrade.get()).sum();
        System.out.printf(
                "upgrade under load: %d requests (%d while opsctl upgrade ran, %d of them writes in all), %d failed,"
                        + " load %.1f s, upgrade %.1f s, %d clients through nginx to 2 instances%n",
                requests, duringUpgrade, writes, failures, loadMs / 1000.0, upgradeMs / 1000.0, CLIENTS);
        clients.stream().flatMap(c -> c.failed.stream()).limit(20).forEach(f -> System.out.println("  failed: " + f));

        assertEquals(0, code, "opsctl upgrade: " + out);
        Map<?, ?> report = Cli.json(out.toString());
        assertEquals("ok", report.get("result"));
        List<?> turns = (List<?>) report.get("instances");
        assertEquals(2, turns.size());
        for (Object t : turns) {
            assertEquals("restarted", ((Map<?, ?>) t).get("result"), t.toString());
        }
        assertTrue(report.get("backup") != null, "a backup was taken first: " + report);
        try (var files = Files.list(dir.resolve("backups"))) {
            assertTrue(files.anyMatch(p -> p.toString().endsWith(".json")), "its manifest is written");
        }
        assertNotEquals(pidA, instances.pid(apiA), "instance A is a new process");
        assertNotEquals(pidB, instances.pid(apiB), "instance B is a new process");

        assertTrue(requests >= 5000, "at least 5,000 requests: " + requests);
        assertTrue(duringUpgrade >= 1000, "the load ran through the rollout: " + duringUpgrade);
        assertEquals(0, failures, "failed requests: " + failures);

        // every acknowledged rotation is in the database, and nothing else: rows = the login's + one per refresh,
        // exactly one token at the tip of the chain, and it is the one the client holds (it still refreshes)
        DataSource ds = TestDatabases.driver().dataSource(db.name());
        try (Connection c = ds.getConnection()) {
            for (Client client : clients) {
                assertEquals(
                        1 + client.refreshes.get(),
                        count(c, "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ?", client.userId),
                        "client " + client.n + ": one row per acknowledged rotation, plus the login's");
                assertEquals(
                        1,
                        count(
                                c,
                                "SELECT COUNT(*) FROM refresh_tokens WHERE user_id = ? AND replaced_by IS NULL AND revoked_at IS NULL",
                                client.userId),
                        "client " + client.n + ": the chain is unbroken: one unreplaced, unrevoked token at its tip");
            }
        }
        for (Client client : clients) {
            assertEquals(200, client.refresh().statusCode(), "the last token each client holds still works");
        }
    }

    /** One user on its own loopback address (nginx limits per address), pacing under the limits. */
    private final class Client extends ApiClient {
        final long userId;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final AtomicInteger duringUpgrade = new AtomicInteger();
        final List<String> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        String access;
        String refreshToken;

        Client(int n, long userId) throws Exception {
            super(instances, n);
            this.userId = userId;
        }

        void login() throws Exception {
            take(passwordLogin(phone(n), PASSWORD));
        }

        HttpResponse<String> refresh() throws Exception {
            HttpResponse<String> r = send(post("/api/auth/refresh", "{\"refreshToken\":\"" + refreshToken + "\"}"));
            if (r.statusCode() == 200) {
                take((Map<?, ?>) Cli.json(r.body()).get("data"));
            }
            return r;
        }

        void run(AtomicBoolean upgradeDone, CountDownLatch warm) {
            boolean warmed = false;
            for (int i = 0; i < PER_CLIENT || !upgradeDone.get(); i++) {
                long start = System.nanoTime();
                boolean upgrading = !upgradeDone.get() && warmed;
                String what;
                HttpResponse<String> r;
                try {
                    switch (i % 5) {
                        case 0, 2 -> {
                            what = "GET /health";
                            r = send(HttpRequest.newBuilder(uri("/health")).GET());
                        }
                        case 1, 3 -> {
                            what = "GET /api/auth/me";
                            r = send(HttpRequest.newBuilder(uri("/api/auth/me"))
                                    .header("Authorization", "Bearer " + access)
                                    .GET());
                        }
                        default -> {
                            what = "POST /api/auth/refresh";
                            r = refresh();
                            if (r.statusCode() == 200) {
                                refreshes.incrementAndGet();
                            }
                        }
                    }
                    if (r.statusCode() != 200) {
                        fail(what + " -> " + r.statusCode() + " " + r.body());
                    }
                } catch (Exception e) {
                    fail("client " + n + ": " + e);
                }
                requests.incrementAndGet();
                if (upgrading) {
                    duringUpgrade.incrementAndGet();
                }
                if (!warmed && i >= 10) {
                    warmed = true;
                    warm.countDown();
                }
                long left = PACE_MS - (System.nanoTime() - start) / 1_000_000;
                if (left > 0) {
                    ServerInstances.sleep(left);
                }
            }
            if (!warmed) {
                warm.countDown();
            }
        }

        private void fail(String what) {
            failures.incrementAndGet();
            failed.add(Instant.now() + " client " + n + ": " + what);
        }

        private void take(Map<?, ?> data) {
            access = (String) data.get("accessToken");
            refreshToken = (String) data.get("refreshToken");
        }
    }

    private static String phone(int n) {
        return "1380000" + String.format("%04d", n);
    }

    private static long count(Connection c, String sql, long userId) throws Exception {
        try (PreparedStatement st = c.prepareStatement(sql)) {
            st.setLong(1, userId);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
