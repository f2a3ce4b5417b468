package com.aiphoto.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TcpProxy;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.media.MediaFiles;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.tasks.TaskUsers.Caller;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.ScratchBackend;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import com.fasterxml.jackson.databind.JsonNode;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the database and then Redis cut under steady mixed load, each behind a {@link TcpProxy} of this test's
 * own, so the shared MariaDB and Redis keep running. The database is cut twice, stopped (connections dropped,
 * connects refused) and hung (everything accepted, nothing answered), {@code outage.db.seconds} each (30 by
 * default): readiness is 503 within 5 s, every API answer in the cut is 503/5030 (or a success) within a bound and
 * none hangs, the platform thread count does not grow, and readiness is back within 5 s of the link returning.
 * Redis is then stopped for {@code outage.redis.seconds} (15): the API keeps serving, the SMS limit holds per
 * instance, and after the link returns Redis holds the limits again. Finally every create that was not answered
 * 200 is retried with its Idempotency-Key, every task reaches a terminal state with one charge (and one refund if
 * failed), the tasks in the database are exactly the accepted ones, and each user's ledger sums to the balance.
 * About two minutes: a failsafe IT ({@code -Dit.test=OutageUnderLoadIT}).
 */
class OutageUnderLoadIT {
    private static final String JWT_SECRET = "outage-it-jwt-secret-0123456789-abcdefghijk";
    private static final Duration DB_CUT = Duration.ofSeconds(Long.getLong("outage.db.seconds", 30));
    private static final Duration REDIS_CUT = Duration.ofSeconds(Long.getLong("outage.redis.seconds", 15));
    private static final int CLIENTS = 6;
    private static final int USERS = 3;
    /** Load balancers must see readiness change within this, both ways (targets.md). */
    private static final long SWITCH_MS = 5_000;
    /**
     * The longest an API answer may take while the database is cut: a statement caught by the cut ends at
     * DB_SOCKET_TIMEOUT (7 s, the default), a new request at DB_CONNECT_TIMEOUT (3 s); 3 s margin for a loaded
     * machine.
     */
    private static final long DB_BOUND_MS = 10_000;
    /** REDIS_TIMEOUT (2 s, the default) and margin. */
    private static final long REDIS_BOUND_MS = 5_000;
    /** Platform threads the server may add during a cut (pool housekeeping); one per request would be far more. */
    private static final int THREAD_SLACK = 10;

    private static final AtomicInteger PHONES = new AtomicInteger();

    @TempDir
    Path dir;

    private ScratchBackend backend;
    private TcpProxy dbLink;
    private TcpProxy redisLink;
    private AiPhotoServer.Running server;
    private MediaFiles media;
    private Load load;

    /** One answer: times in ms since the load started; status -1 when the client failed (timeout, contract). */
    record Sample(String op, long start, long end, int status, int code, String error) {
        long latency() {
            return end - start;
        }

        boolean ok() {
            return status / 100 == 2;
        }

        boolean unavailable() {
            return status == 503 && code == 5030;
        }

        boolean overlaps(long from, long to) {
            return end > from && start < to;
        }
    }

    /** A create that was not answered 200: retried with its key at the end. */
    record Unanswered(Caller caller, String key, String body) {}

    /** The pause after a link returns before the next cut; the API is checked for having recovered 5 to 7 s after. */
    private static final long RECOVERY_CHECKED_MS = 9_000;

    /** A cut's start and end (ms since the load started). */
    record Window(String name, long cut, long back) {}

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (load != null) {
                load.stop();
            }
            if (server != null) {
                server.stop();
            }
        } finally {
            try {
                if (dbLink != null) {
                    dbLink.close();
                }
                if (redisLink != null) {
                    redisLink.close();
                }
            } finally {
                if (backend != null) {
                    backend.close();
                }
            }
        }
    }

    @Test
    void databaseAndRedisCutUnderLoad() throws Exception {
        backend = ScratchBackend.create("outage");
        dbLink = new TcpProxy(TestDatabases.host(), Integer.parseInt(TestDatabases.port()));
        redisLink = new TcpProxy(TestRedis.host(), TestRedis.port());
        server = TestServers.start(dir, settings(), PaymentsModule::create, (p, auth, files, credentials) -> {
            media = files;
            return TasksModule.create(p, auth, files, credentials);
        });
        Jdbc jdbc = server.platform().database().jdbc();
        List<Caller> users = new ArrayList<>();
        Map<Long, String> inputs = new HashMap<>();
        for (int i = 0; i < USERS; i++) {
            Caller c = TaskUsers.member(jdbc, JWT_SECRET, 1_000_000);
            users.add(c);
            String key = MediaFiles.inputPrefix(c.id()) + "20261203/" + Secrets.randomHex(16) + ".png";
            media.storage().put(key, TaskEndToEndContract.picture(), "image/png");
            inputs.put(c.id(), key);
        }
        Http api = new Http(server.port());
        Http admin = new Http(server.adminPort());
        load = new Load(api, admin, users, inputs);
        load.start();

        Thread.sleep(5_000); // warm-up: load before the first cut
        int baselineThreads = load.maxThreads(0, load.now());
        List<Window> dbCuts = new ArrayList<>();
        // between cuts: longer than the recovery check's window (5-7 s after the link returned), which must not
        // overlap the next cut (readiness can be back 0.3 s after the link)
        dbCuts.add(cut("database stopped", dbLink::refuse, dbLink::restore, DB_CUT));
        Thread.sleep(RECOVERY_CHECKED_MS);
        dbCuts.add(cut("database hung", dbLink::freeze, dbLink::thaw, DB_CUT));
        Thread.sleep(RECOVERY_CHECKED_MS);
        Window redisCut = redisCut(api, admin);
        Thread.sleep(2_000);
        load.stop();
        long end = load.now();

        List<String> problems = new ArrayList<>();
        StringBuilder summary = new StringBuilder("outage under load (" + CLIENTS + " clients):\n");
        summary.append(String.format(
                Locale.ROOT,
                "  requests %d, by status %s, platform threads before the cuts %d%n",
                load.samples.size(),
                load.samples.stream().collect(Collectors.groupingBy(Sample::status, Collectors.counting())),
                baselineThreads));
        for (Window w : dbCuts) {
            checkDatabaseCut(w, baselineThreads, problems, summary);
        }
        checkRedisCut(redisCut, problems, summary);
        // after the last cut everything answers again
        long lastBack = redisCut.back() + SWITCH_MS;
        load.samples.stream()
                .filter(s -> s.start() > lastBack && s.end() < end && !s.ok())
                .limit(5)
                .forEach(s -> problems.add("after recovery: " + s));

        Set<String> accepted = retryUnanswered(api, problems);
        checkTasksAndLedger(jdbc, users, accepted, problems, summary);
        System.out.print(summary);
        assertTrue(problems.isEmpty(), String.join("\n", problems) + "\n" + summary);
    }

    private Map<String, String> settings() {
        Map<String, String> m = new HashMap<>(backend.settings());
        m.put("DB_HOST", "127.0.0.1");
        m.put("DB_PORT", Integer.toString(dbLink.port()));
        m.put("REDIS_HOST", "127.0.0.1");
        m.put("REDIS_PORT", Integer.toString(redisLink.port()));
        // production's pool and timeouts (DB_CONNECT/QUERY/SOCKET_TIMEOUT, REDIS_TIMEOUT are left at their defaults)
        m.put("DB_POOL_MIN", "5");
        m.put("DB_POOL_MAX", "20");
        m.put("JWT_SECRET", JWT_SECRET);
        // a quicker engine than production's, so the tasks of two minutes of load finish soon after
        m.put("SCHEDULER_POLL_INTERVAL", "500ms");
        m.put("SCHEDULER_HEARTBEAT", "1s");
        m.put("SCHEDULER_MISSED_HEARTBEATS", "4");
        m.put("TASK_POLL_INTERVAL", "500ms");
        m.put("TASK_RETRY_BACKOFF", "200ms");
        m.put("TASK_RETRY_BACKOFF_MAX", "2s");
        return m;
    }

    /** An outage action of the proxy. */
    @FunctionalInterface
    interface LinkAction {
        void run() throws IOException;
    }

    /** Cuts the link for {@code length}, restores it, and waits (bounded) until readiness is 200 again. */
    private Window cut(String name, LinkAction cut, LinkAction restore, Duration length) throws Exception {
        long from = load.now();
        cut.run();
        Thread.sleep(length.toMillis()); // the outage's length: the load keeps running meanwhile
        restore.run();
        long back = load.now();
        assertTrue(
                Concurrently.within(Duration.ofSeconds(60), () -> load.probedSince(back, 200)),
                name + ": readiness not 200 within 60 s of the link returning");
        return new Window(name, from, back);
    }

    private Window redisCut(Http api, Http admin) throws Exception {
        long from = load.now();
        redisLink.refuse();
        // the limits now count in this instance: one code per phone per 60 s still holds
        String phone = phone();
        Http.Response first = sendCode(api, phone);
        assertEquals(200, first.status(), "send-code without Redis: " + first.body());
        Http.Response second = sendCode(api, phone);
        assertEquals(429, second.status(), "the per-phone limit holds without Redis: " + second.body());
        assertEquals(2004, second.json().get("error").get("code").asInt(), second.body());
        Http.Response login =
                api.post("/api/auth/login", "{\"phone\":\"" + phone + "\",\"code\":\"" + lastLoggedCode() + "\"}");
        assertEquals(200, login.status(), "the code kept in this instance logs in: " + login.body());
        assertTrue(
                Concurrently.within(
                        Duration.ofMillis(SWITCH_MS), () -> redisState(admin).equals("DEGRADED")),
                "readiness reports Redis DEGRADED");
        Thread.sleep(Math.max(0, REDIS_CUT.toMillis() - (load.now() - from)));
        redisLink.restore();
        long back = load.now();
        assertTrue(
                Concurrently.within(
                        Duration.ofSeconds(30), () -> redisState(admin).equals("UP")),
                "readiness reports Redis UP again within 30 s");
        long up = load.now() - back;
        // Redis holds the limits and codes again: a new phone's slot and code are in Redis, not in this instance
        String again = phone();
        assertTrue(
                Concurrently.within(Duration.ofSeconds(10), () -> {
                    Http.Response r = sendCode(api, again);
                    assertEquals(200, r.status(), r.body());
                    return redisHas("rl:sms:phone-60s:" + again) && redisHas("kv:code:" + again);
                }),
                "send-code uses Redis again after the link returned");
        System.out.printf(Locale.ROOT, "  redis: readiness UP again %d ms after the link returned%n", up);
        return new Window("redis stopped", from, back);
    }

    private void checkDatabaseCut(Window w, int baseline, List<String> problems, StringBuilder summary) {
        List<Sample> probes = load.samples(s -> s.op().equals("ready") && s.overlaps(w.cut(), w.back()));
        long toDown = probes.stream()
                .filter(s -> s.start() >= w.cut() && s.status() == 503)
                .mapToLong(s -> s.end() - w.cut())
                .min()
                .orElse(Long.MAX_VALUE);
        if (toDown > SWITCH_MS) {
            problems.add(w.name() + ": readiness 503 after " + toDown + " ms (limit " + SWITCH_MS + ")");
        }
        probes.stream()
                .filter(s -> s.start() > w.cut() + SWITCH_MS && s.end() < w.back() && s.status() != 503)
                .limit(3)
                .forEach(s -> problems.add(w.name() + ": readiness not 503 during the cut: " + s));
        long toUp = load.samples(s -> s.op().equals("ready") && s.start() >= w.back() && s.status() == 200).stream()
                .mapToLong(s -> s.end() - w.back())
                .min()
                .orElse(Long.MAX_VALUE);
        if (toUp > SWITCH_MS) {
            problems.add(w.name() + ": readiness 200 only " + toUp + " ms after the link returned");
        }
        List<Sample> api = load.samples(s -> !s.op().equals("ready") && s.overlaps(w.cut(), w.back()));
        api.stream()
                .filter(s -> !(s.ok() || s.unavailable()))
                .limit(5)
                .forEach(s -> problems.add(w.name() + ": neither a success nor 503/5030: " + s));
        api.stream()
                .filter(s -> s.latency() > DB_BOUND_MS)
                .limit(5)
                .forEach(s -> problems.add(w.name() + ": answered after " + s.latency() + " ms: " + s));
        load
                .samples(s -> !s.op().equals("ready")
                        && s.start() > w.back() + SWITCH_MS
                        && s.start() < w.back() + RECOVERY_CHECKED_MS - 2_000)
                .stream()
                .filter(s -> !s.ok())
                .limit(3)
                .forEach(s -> problems.add(w.name() + ": API not recovered 5 s after the link returned: " + s));
        int threads = load.maxThreads(w.cut(), w.back() + SWITCH_MS);
        if (threads > baseline + THREAD_SLACK) {
            problems.add(w.name() + ": platform threads grew from " + baseline + " to " + threads);
        }
        summary.append(String.format(
                Locale.ROOT,
                "  %s %d s: readiness 503 after %d ms, 200 %d ms after the link returned; %d API answers (%d 503),"
                        + " max latency %d ms; platform threads max %d%n",
                w.name(),
                (w.back() - w.cut()) / 1000,
                toDown,
                toUp,
                api.size(),
                api.stream().filter(Sample::unavailable).count(),
                api.stream().mapToLong(Sample::latency).max().orElse(0),
                threads));
    }

    private void checkRedisCut(Window w, List<String> problems, StringBuilder summary) {
        List<Sample> during = load.samples(s -> s.overlaps(w.cut(), w.back()));
        during.stream().filter(s -> !s.ok()).limit(5).forEach(s -> problems.add(w.name() + ": not served: " + s));
        during.stream()
                .filter(s -> s.latency() > REDIS_BOUND_MS)
                .limit(5)
                .forEach(s -> problems.add(w.name() + ": answered after " + s.latency() + " ms: " + s));
        summary.append(String.format(
                Locale.ROOT,
                "  %s %d s: %d answers, %d not 2xx, max latency %d ms%n",
                w.name(),
                (w.back() - w.cut()) / 1000,
                during.size(),
                during.stream().filter(s -> !s.ok()).count(),
                during.stream().mapToLong(Sample::latency).max().orElse(0)));
    }

    /** Every create not answered 200, again with its key: now each must be (the first task if it had committed). */
    private Set<String> retryUnanswered(Http api, List<String> problems) {
        Set<String> accepted = new HashSet<>(load.taskIds);
        int repeats = 0;
        for (Unanswered u : load.unanswered) {
            Http.Response r = api.post("/api/task/create", u.body(), u.caller().auth(u.key()));
            if (r.status() != 200) {
                problems.add("retried create " + u.key() + ": " + r.status() + " " + r.body());
                continue;
            }
            if (!accepted.add(r.json().get("data").get("taskId").asText())) {
                repeats++;
            }
        }
        System.out.printf(
                Locale.ROOT,
                "  creates: %d accepted under load, %d retried after (%d already committed)%n",
                load.taskIds.size(),
                load.unanswered.size(),
                repeats);
        return accepted;
    }

    private void checkTasksAndLedger(
            Jdbc jdbc, List<Caller> users, Set<String> accepted, List<String> problems, StringBuilder summary)
            throws InterruptedException {
        String ids = users.stream().map(c -> Long.toString(c.id())).collect(Collectors.joining(","));
        Supplier<Integer> unfinished = () -> jdbc.queryOne(
                        "SELECT COUNT(*) FROM tasks WHERE user_id IN (" + ids
                                + ") AND status NOT IN ('succeeded', 'failed')",
                        r -> r.getInt(1))
                .orElseThrow();
        if (!Concurrently.within(Duration.ofSeconds(180), () -> unfinished.get() == 0)) {
            problems.add(unfinished.get() + " tasks not finished 180 s after the load");
        }
        record Row(String id, String status, int deducts, int refunds, String error) {}
        List<Row> rows = jdbc.query(
                "SELECT t.id, t.status, t.error_message,"
                        + " (SELECT COUNT(*) FROM quota_ledger l WHERE l.reason = 'deduct' AND l.ref = t.id),"
                        + " (SELECT COUNT(*) FROM quota_ledger l WHERE l.reason = 'refund' AND l.ref = t.id)"
                        + " FROM tasks t WHERE t.user_id IN (" + ids + ")",
                r -> new Row(r.getString(1), r.getString(2), r.getInt(4), r.getInt(5), r.getString(3)));
        Set<String> stored = rows.stream().map(Row::id).collect(Collectors.toSet());
        accepted.stream()
                .filter(id -> !stored.contains(id))
                .limit(5)
                .forEach(id -> problems.add("accepted task lost: " + id));
        stored.stream()
                .filter(id -> !accepted.contains(id))
                .limit(5)
                .forEach(id -> problems.add("task in the database that no answer (or retry) accepted: " + id));
        for (Row r : rows) {
            int refunds = r.status().equals("failed") ? 1 : 0;
            if (r.deducts() != 1 || r.refunds() != refunds) {
                problems.add("task " + r.id() + " " + r.status() + ": " + r.deducts() + " deducts, " + r.refunds()
                        + " refunds");
            }
        }
        for (Caller c : users) {
            int sum = jdbc.queryOne(
                            "SELECT COALESCE(SUM(delta), 0) FROM quota_ledger WHERE user_id = ?",
                            r -> r.getInt(1),
                            c.id())
                    .orElseThrow();
            int balance = jdbc.queryOne("SELECT quota_balance FROM users WHERE id = ?", r -> r.getInt(1), c.id())
                    .orElseThrow();
            if (sum != balance) {
                problems.add("user " + c.id() + ": ledger sums to " + sum + ", balance " + balance);
            }
        }
        summary.append(String.format(
                Locale.ROOT,
                "  tasks: %d, by status %s; failures: %s%n",
                rows.size(),
                rows.stream().collect(Collectors.groupingBy(Row::status, Collectors.counting())),
                rows.stream()
                        .filter(r -> r.error() != null)
                        .collect(Collectors.groupingBy(Row::error, Collectors.counting()))));
    }

    private static String phone() {
        return "137"
                + String.format(
                        Locale.ROOT, "%08d", (System.nanoTime() / 1000 + PHONES.incrementAndGet()) % 100_000_000L);
    }

    private static Http.Response sendCode(Http api, String phone) {
        return api.post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}");
    }

    /** Outside production the code goes to the log (this test sends codes one at a time). */
    private String lastLoggedCode() throws IOException {
        return Files.readAllLines(dir.resolve("logs/combined.log")).stream()
                .filter(l -> l.contains("verification code for"))
                .reduce((a, b) -> b)
                .orElseThrow()
                .replaceAll(".*verification code for [0-9*]+: (\\d{6}).*", "$1");
    }

    private static String redisState(Http admin) {
        for (JsonNode c : admin.get("/observe/health/ready").json().get("checks")) {
            if (c.get("name").asText().equals("redis")) {
                return c.get("data").get("state").asText();
            }
        }
        throw new AssertionError("no redis check");
    }

    /** Whether the shared Redis (directly, not through the proxy) holds the server's {@code key}. */
    private boolean redisHas(String key) {
        RedisClient client = RedisClient.create(RedisURI.create(TestRedis.host(), TestRedis.port()));
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return c.sync().exists(backend.prefix() + key) == 1;
        } finally {
            client.shutdown();
        }
    }

    /** The clients, a readiness prober and a thread-count sampler, all platform threads started before the cuts. */
    private static final class Load {
        final Queue<Sample> samples = new ConcurrentLinkedQueue<>();
        final Queue<String> taskIds = new ConcurrentLinkedQueue<>();
        final Queue<Unanswered> unanswered = new ConcurrentLinkedQueue<>();
        private final Queue<long[]> threadCounts = new ConcurrentLinkedQueue<>();
        private final Http api;
        private final Http admin;
        private final List<Caller> users;
        private final Map<Long, String> inputs;
        private final List<Thread> threads = new ArrayList<>();
        private final long t0 = System.nanoTime();
        private volatile boolean running = true;

        Load(Http api, Http admin, List<Caller> users, Map<Long, String> inputs) {
            this.api = api;
            this.admin = admin;
            this.users = users;
            this.inputs = inputs;
        }

        long now() {
            return (System.nanoTime() - t0) / 1_000_000;
        }

        void start() {
            for (int i = 0; i < CLIENTS; i++) {
                threads.add(Thread.ofPlatform().name("load-" + i).start(this::client));
            }
            threads.add(Thread.ofPlatform().name("load-ready").start(() -> {
                while (running) {
                    record("ready", () -> admin.get("/observe/health/ready"));
                    pause(100);
                }
            }));
            ThreadMXBean mx = ManagementFactory.getThreadMXBean();
            threads.add(Thread.ofPlatform().name("load-threads").start(() -> {
                while (running) {
                    threadCounts.add(new long[] {now(), mx.getThreadCount()});
                    pause(100);
                }
            }));
        }

        private void client() {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            while (running) {
                Caller c = users.get(rnd.nextInt(users.size()));
                switch (rnd.nextInt(6)) {
                    case 0, 1, 2 -> record("me", () -> api.get("/api/auth/me", c.auth()));
                    case 3, 4 -> record("list", () -> api.get("/api/task/list?limit=5", c.auth()));
                    default -> create(c);
                }
                pause(20); // pacing: steady load, not a synchronisation
            }
        }

        private void create(Caller c) {
            String key = "outage-" + Secrets.randomHex(12);
            String body = "{\"type\":\"basic_clean\",\"inputKey\":\"" + inputs.get(c.id())
                    + "\",\"params\":{\"scene\":\"studio\",\"category\":\"shirt\"}}";
            Http.Response r = record("create", () -> api.post("/api/task/create", body, c.auth(key)));
            if (r != null && r.status() == 200) {
                taskIds.add(r.json().get("data").get("taskId").asText());
            } else {
                unanswered.add(new Unanswered(c, key, body));
            }
        }

        private Http.Response record(String op, Supplier<Http.Response> call) {
            long start = now();
            try {
                Http.Response r = call.get();
                int code = r.status() / 100 == 2 ? 0 : errorCode(r);
                samples.add(new Sample(op, start, now(), r.status(), code, code == 0 ? null : r.body()));
                return r;
            } catch (RuntimeException | AssertionError e) {
                samples.add(new Sample(op, start, now(), -1, -1, e.toString()));
                return null;
            }
        }

        private static int errorCode(Http.Response r) {
            try {
                return r.json().get("error").get("code").asInt();
            } catch (RuntimeException | AssertionError e) {
                return -1;
            }
        }

        /** Whether a readiness probe started at or after {@code since} answered {@code status}. */
        boolean probedSince(long since, int status) {
            return samples.stream().anyMatch(s -> s.op().equals("ready") && s.start() >= since && s.status() == status);
        }

        List<Sample> samples(Predicate<Sample> filter) {
            return samples.stream().filter(filter).toList();
        }

        int maxThreads(long from, long to) {
            return (int) threadCounts.stream()
                    .filter(t -> t[0] >= from && t[0] <= to)
                    .mapToLong(t -> t[1])
                    .max()
                    .orElse(0);
        }

        void stop() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.join(Duration.ofSeconds(40)); // a request in flight ends by the client's 30 s timeout
            }
        }

        private static void pause(long ms) {
            try {
                Thread.sleep(ms);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
