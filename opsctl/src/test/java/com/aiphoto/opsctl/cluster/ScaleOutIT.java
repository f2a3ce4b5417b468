package com.aiphoto.opsctl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.FakeWeChatPay.Delivery;
import com.aiphoto.testing.FakeWeChatPay.Fault;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.WeChatPayKeys;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-out: two real server instances (child JVMs) on one database and one Redis prefix behind the shipped nginx,
 * the local task engine (basic_clean, and model_pose12 through its submit/poll/fetch steps) and one
 * {@link FakeWeChatPay} both instances use. Clients create tasks (with an Idempotency-Key, retried on failure)
 * and buy memberships through nginx; the fake pays each order and delivers its signed notification twice to each
 * instance (or drops it, for the reconciler to find). Mid-load one instance is killed with SIGKILL, the load goes
 * on against the survivor, then the killed one is started again. At the end every accepted task is terminal and
 * exists once, charged once and refunded only if failed, and succeeded once (the instances' logs); every paid
 * order is granted once; each user's ledger sums to the balance; the recurring reconcile job ran at most once per
 * period across both instances (its "job ... ran" log lines). Prints the figures. Slow (a minute or two): failsafe.
 */
class ScaleOutIT {
    private static final int TASK_CLIENTS = 6;
    private static final int PAY_CLIENTS = 3;
    /** Each client's pace: under nginx's 10 r/s per address for /api/, and gentle on two loaded cores. */
    private static final long PACE_MS = 400;
    /** The reconcile job's period here: many periods in one run. */
    private static final Duration RECONCILE_PERIOD = Duration.ofSeconds(2);

    private static final String PASSWORD = "scale-out-password-1";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Pattern JOB_RAN = Pattern.compile("job reconcile ran on (\\S+) in (\\d+) ms");
    private static final Pattern SUCCEEDED = Pattern.compile("task ([0-9a-f]{32}) \\(\\w+\\) succeeded");

    @TempDir
    Path dir;

    private ServerInstances instances;
    private FakeWeChatPay fake;

    @AfterEach
    void cleanUp() throws Exception {
        try {
            if (instances != null) {
                instances.close();
            }
        } finally {
            if (fake != null) {
                fake.close();
            }
        }
    }

    @Test
    void twoInstancesBehindNginxLoseAndDoubleNothingWhenOneIsKilledMidLoad() throws Exception {
        instances = new ServerInstances(dir, "scale_out");
        TestDatabases.Scratch db = instances.db();
        fake = new FakeWeChatPay(WeChatPayKeys.generate(dir.resolve("wechat-keys")));
        Map<String, String> extra = new HashMap<>(fake.settings());
        extra.put("API_DOMAIN", "http://127.0.0.1:{port}");
        // one secret for the cluster: file URLs are signed with a key derived from it (random per process without)
        extra.put("INTERNAL_CALLBACK_SECRET", "scale-out-internal-callback-secret-0123456789");
        extra.put("SCHEDULER_POLL_INTERVAL", "200ms");
        extra.put("SCHEDULER_HEARTBEAT", "1s");
        extra.put("SCHEDULER_MISSED_HEARTBEATS", "4");
        extra.put("RECONCILE_PERIOD", RECONCILE_PERIOD.toMillis() + "ms");
        extra.put("RECONCILE_AFTER", "3s");
        extra.put("TASK_POLL_INTERVAL", "300ms");
        extra.put("TASK_STEP_TIMEOUT", "10s");
        extra.put("TASK_RETRY_BACKOFF", "500ms");
        extra.put("TASK_RETRY_BACKOFF_MAX", "2s");
        instances.write(2, extra);
        int victim = instances.ports().get(0);
        instances.startBehindNginx("scale out");

        byte[] png = png();
        Jdbc jdbc = new Jdbc(db.dataSource(), Duration.ofSeconds(10));
        QuotaLedger ledger = new QuotaLedger(jdbc, Clock.systemUTC(), com.aiphoto.core.account.AccountChanges.NONE);
        List<TaskClient> taskClients = new ArrayList<>();
        for (int c = 0; c < TASK_CLIENTS; c++) {
            TaskClient t = new TaskClient(c, ServerInstances.createUser(db, phone(c), PASSWORD));
            ledger.grant(t.userId, 1000, 30, "scale-out-seed-" + t.userId);
            t.login();
            t.upload(png, victim);
            taskClients.add(t);
        }
        List<PayClient> payClients = new ArrayList<>();
        for (int c = TASK_CLIENTS; c < TASK_CLIENTS + PAY_CLIENTS; c++) {
            PayClient p = new PayClient(c, ServerInstances.createUser(db, phone(c), PASSWORD), instances.ports());
            p.login();
            payClients.add(p);
        }
        List<Client> clients = new ArrayList<>(taskClients);
        clients.addAll(payClients);

        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(clients.size());
        long t0 = System.nanoTime();
        Instant loadStart = Instant.now();
        List<Future<?>> load = new ArrayList<>();
        for (Client c : clients) {
            load.add(pool.submit(() -> {
                c.run(stop);
                return null;
            }));
        }
        try {
            // warm: both instances busy with tasks and orders, then the victim dies mid-work
            assertTrue(
                    Concurrently.within(
                            Duration.ofSeconds(60),
                            () -> taskClients.stream()
                                                    .mapToInt(c -> c.accepted.size())
                                                    .sum()
                                            >= 20
                                    && payClients.stream()
                                                    .mapToInt(c -> c.paid.size())
                                                    .sum()
                                            >= 3),
                    "the load got going");
            long killedAt = System.nanoTime();
            instances.kill(victim);
            System.out.printf("killed instance %d with SIGKILL after %.1f s of load%n", victim, (killedAt - t0) / 1e9);
            ServerInstances.sleep(15_000); // the survivor alone, nginx failing over
            instances.start(victim);
            System.out.printf("instance %d started again after %.1f s%n", victim, (System.nanoTime() - killedAt) / 1e9);
            ServerInstances.sleep(8_000); // both again
        } finally {
            stop.set(true);
            for (Future<?> f : load) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();
        }
        Instant loadEnd = Instant.now();

        // every task the database holds ends, within a bound: the deadlines are minutes, the steps seconds
        boolean allTerminal = Concurrently.within(
                Duration.ofMinutes(4),
                () -> count(jdbc, "SELECT COUNT(*) FROM tasks WHERE status NOT IN ('succeeded', 'failed')") == 0);
        Map<String, String> tasks = new TreeMap<>();
        jdbc.query("SELECT id, status FROM tasks", r -> tasks.put(r.getString(1), r.getString(2)));
        Map<String, Integer> byState = new TreeMap<>();
        tasks.values().forEach(s -> byState.merge(s, 1, Integer::sum));
        List<String> paid = payClients.stream().flatMap(c -> c.paid.stream()).toList();
        boolean allGranted = Concurrently.within(
                Duration.ofSeconds(60), () -> paid.stream().allMatch(id -> grantRows(jdbc, id) == 1));
        List<Run> runs = reconcileRuns();

        int requests = clients.stream().mapToInt(c -> c.requests.get()).sum();
        int failures = clients.stream().mapToInt(c -> c.failures.get()).sum();
        int deliveries = payClients.stream().mapToInt(c -> c.delivered.get()).sum();
        int undelivered = payClients.stream().mapToInt(c -> c.undelivered.get()).sum();
        System.out.printf(
                "scale-out: %d requests through nginx (%d failed while failing over), %d clients, load %.1f s;"
                        + " tasks %s of %d accepted; orders %d paid, %d granted once;"
                        + " notifications %d answered, %d not delivered (instance down); reconcile ran %d time(s)%n",
                requests,
                failures,
                clients.size(),
                Duration.between(loadStart, loadEnd).toMillis() / 1000.0,
                byState,
                taskClients.stream().mapToInt(c -> c.accepted.size()).sum(),
                paid.size(),
                paid.stream().filter(id -> grantRows(jdbc, id) == 1).count(),
                deliveries,
                undelivered,
                runs.size());
        Map<String, Integer> runsBy = new TreeMap<>();
        runs.forEach(r -> runsBy.merge(r.instance(), 1, Integer::sum));
        Map<String, Integer> kinds = new TreeMap<>();
        clients.forEach(c -> c.kinds.forEach((k, v) -> kinds.merge(k, v, Integer::sum)));
        System.out.println(
                "  failures by kind: " + kinds + "; purchases answered with an order paid but not yet" + " settled: "
                        + payClients.stream().mapToInt(c -> c.reusedPaid.get()).sum());
        System.out.println("  reconcile runs by scheduler instance: " + runsBy);
        clients.stream().flatMap(c -> c.failed.stream()).limit(20).forEach(f -> System.out.println("  failed: " + f));

        // what failed is the failover (nginx's 502/503 for a request the dead instance had, a dropped connection),
        // never an error of the API itself
        assertTrue(
                kinds.keySet().stream().noneMatch(k -> k.startsWith("4") || k.equals("500")),
                "failures by kind: " + kinds);

        // every accepted create is one task (retries under one Idempotency-Key made none more), nothing else exists
        List<String> accepted =
                taskClients.stream().flatMap(c -> c.accepted.values().stream()).toList();
        assertEquals(accepted.size(), accepted.stream().distinct().count(), "each accepted key is its own task");
        assertEquals(new TreeMap<>(tasks).keySet(), new java.util.TreeSet<>(accepted), "the tasks are the accepted");
        assertTrue(taskClients.stream().allMatch(c -> c.unaccepted.get() == 0), "every create was accepted in time");
        assertTrue(allTerminal, "every task ended: " + byState);
        assertTrue(tasks.size() >= 40, "enough tasks to matter: " + tasks.size());

        // charged once, refunded exactly when failed, results complete, succeeded once across both instances
        Map<String, Integer> successLines = successLines();
        for (String id : tasks.keySet()) {
            String status = tasks.get(id);
            assertEquals(1, ledgerRows(jdbc, "deduct", id), "task " + id + " charged once");
            assertEquals(status.equals("failed") ? 1 : 0, ledgerRows(jdbc, "refund", id), "task " + id + " refunds");
            assertTrue(successLines.getOrDefault(id, 0) <= 1, "task " + id + " succeeded at most once");
            if (status.equals("succeeded")) {
                String type = jdbc.queryOne("SELECT type FROM tasks WHERE id = ?", r -> r.getString(1), id)
                        .orElseThrow();
                String keys = jdbc.queryOne("SELECT result_keys FROM tasks WHERE id = ?", r -> r.getString(1), id)
                        .orElseThrow();
                assertEquals(
                        type.equals("basic_clean") ? 3 : 12,
                        MAPPER.readTree(keys).size(),
                        id + " results");
            }
        }
        assertTrue(byState.getOrDefault("succeeded", 0) >= tasks.size() / 2, "most tasks succeeded: " + byState);
        assertTrue(
                !allLogs().contains("but the row had moved on"),
                "no task was submitted twice (the engine's warning for a step two runs took)");

        // every paid order granted once, by a notification or the reconciler, and marked paid
        assertTrue(paid.size() >= 6, "enough orders to matter: " + paid.size());
        assertTrue(allGranted, "every paid order is granted exactly once");
        for (String id : paid) {
            assertEquals(
                    "paid",
                    jdbc.queryOne("SELECT status FROM orders WHERE id = ?", r -> r.getString(1), id)
                            .orElseThrow());
        }
        assertEquals(0, undeliveredToBoth(payClients), "every notification reached an instance");

        // the ledger balances: each user's rows sum to the balance, and the last row says the balance
        jdbc.query(
                "SELECT u.id, u.quota_balance, COALESCE(SUM(l.delta), 0),"
                        + " (SELECT l2.balance_after FROM quota_ledger l2 WHERE l2.user_id = u.id ORDER BY l2.id DESC"
                        + " LIMIT 1)"
                        + " FROM users u LEFT JOIN quota_ledger l ON l.user_id = u.id GROUP BY u.id, u.quota_balance",
                r -> {
                    assertEquals(r.getLong(2), r.getLong(3), "user " + r.getLong(1) + ": ledger sum = balance");
                    if (r.getObject(4) != null) {
                        assertEquals(r.getLong(2), r.getLong(4), "user " + r.getLong(1) + ": last balance_after");
                    }
                    return null;
                });

        // the recurring job: one run at a time across the cluster, FixedDelay apart (a run's start is its end
        // minus its duration; 200 ms for the millisecond timestamps and the poll's own jitter)
        assertTrue(runs.size() >= 5, "reconcile ran through the test: " + runs);
        for (int i = 1; i < runs.size(); i++) {
            Run prev = runs.get(i - 1);
            Run next = runs.get(i);
            Duration gap = Duration.between(prev.end(), next.start());
            assertTrue(
                    gap.compareTo(RECONCILE_PERIOD.minusMillis(200)) >= 0,
                    "reconcile ran twice within a period: " + prev + " then " + next);
        }
        long span =
                Duration.between(runs.getFirst().start(), runs.getLast().end()).toMillis();
        assertTrue(runs.size() <= span / RECONCILE_PERIOD.toMillis() + 1, "at most one run per period: " + runs);
    }

    private static long undeliveredToBoth(List<PayClient> payClients) {
        return payClients.stream().mapToLong(c -> c.lost.get()).sum();
    }

    /** One run of the reconcile job as its instance logged it. */
    record Run(Instant start, Instant end, String instance) {}

    /** Every "job reconcile ran" line of both instances, oldest first (a torn last line of the killed one skipped). */
    private List<Run> reconcileRuns() throws IOException {
        List<Run> runs = new ArrayList<>();
        for (JsonNode line : logLines()) {
            Matcher m = JOB_RAN.matcher(line.path("message").asText());
            if (m.matches()) {
                Instant end = Instant.parse(line.path("@timestamp").asText());
                runs.add(new Run(end.minusMillis(Long.parseLong(m.group(2))), end, m.group(1)));
            }
        }
        runs.sort(Comparator.comparing(Run::end));
        return runs;
    }

    /** How many "task ... succeeded" lines each task has across both instances' logs. */
    private Map<String, Integer> successLines() throws IOException {
        Map<String, Integer> n = new HashMap<>();
        for (JsonNode line : logLines()) {
            Matcher m = SUCCEEDED.matcher(line.path("message").asText());
            if (m.lookingAt()) {
                n.merge(m.group(1), 1, Integer::sum);
            }
        }
        return n;
    }

    private List<JsonNode> logLines() throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (int port : instances.ports()) {
            Path f = instances.logDir(port).resolve("combined.log");
            if (!Files.exists(f)) {
                continue;
            }
            for (String line : Files.readAllLines(f)) {
                try {
                    out.add(MAPPER.readTree(line));
                } catch (IOException e) {
                    // the line the SIGKILL cut
                }
            }
        }
        return out;
    }

    private String allLogs() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int port : instances.ports()) {
            Path f = instances.logDir(port).resolve("combined.log");
            if (Files.exists(f)) {
                b.append(Files.readString(f));
            }
        }
        return b.toString();
    }

    /** What both kinds of client share: a user logged in through nginx, paced requests, failures kept. */
    private abstract class Client extends ApiClient {
        final long userId;
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final List<String> failed = new CopyOnWriteArrayList<>();
        /** Failures by kind: the HTTP status, or the exception's class. */
        final Map<String, Integer> kinds = new java.util.concurrent.ConcurrentHashMap<>();

        String access;

        Client(int n, long userId) throws Exception {
            super(instances, n);
            this.userId = userId;
        }

        void login() throws Exception {
            access = (String) passwordLogin(phone(n), PASSWORD).get("accessToken");
        }

        abstract void step(int i) throws Exception;

        void run(AtomicBoolean stop) {
            for (int i = 0; !stop.get(); i++) {
                long start = System.nanoTime();
                try {
                    step(i);
                } catch (Exception e) {
                    kinds.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                    fail(e.toString());
                }
                pace(start);
            }
        }

        void pace(long start) {
            long left = PACE_MS - (System.nanoTime() - start) / 1_000_000;
            if (left > 0) {
                ServerInstances.sleep(left);
            }
        }

        /** The data of a 200 answer, or null (counted as a failure) after any other answer or an I/O error. */
        JsonNode call(String what, HttpRequest.Builder b) {
            requests.incrementAndGet();
            try {
                HttpResponse<String> r = send(b.header("Authorization", "Bearer " + access));
                if (r.statusCode() == 200) {
                    return MAPPER.readTree(r.body()).get("data");
                }
                kinds.merge(Integer.toString(r.statusCode()), 1, Integer::sum);
                fail(what + " -> " + r.statusCode() + " " + r.body());
            } catch (IOException e) {
                kinds.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                fail(what + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            return null;
        }

        void fail(String what) {
            failures.incrementAndGet();
            failed.add(Instant.now() + " client " + n + ": " + what);
        }
    }

    /** Creates tasks of both types on its one upload; a failed create is retried under the same key. */
    private final class TaskClient extends Client {
        /** Idempotency-Key -> task id, for every create answered 200. */
        final Map<String, String> accepted = new java.util.concurrent.ConcurrentHashMap<>();

        final AtomicInteger unaccepted = new AtomicInteger();
        String inputKey;

        TaskClient(int n, long userId) throws Exception {
            super(n, userId);
        }

        /**
         * Uploads the input once, the PUT straight to an instance: nginx does not proxy local storage's /files/
         * (production stores on COS).
         */
        void upload(byte[] png, int port) throws Exception {
            JsonNode g = call(
                    "upload-url",
                    post(
                            "/api/media/upload-url",
                            "{\"fileName\":\"a.png\",\"contentType\":\"image/png\",\"size\":" + png.length + "}"));
            assertTrue(g != null, failed::toString);
            URI u = URI.create(g.get("uploadUrl").asText());
            HttpRequest.Builder put = HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + u.getRawPath() + "?" + u.getRawQuery()))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(png));
            g.get("headers")
                    .properties()
                    .forEach(e -> put.header(e.getKey(), e.getValue().asText()));
            int status = HttpClient.newHttpClient()
                    .send(put.build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
            assertEquals(2, status / 100, "upload PUT");
            inputKey = g.get("key").asText();
        }

        @Override
        void step(int i) {
            String type = i % 2 == 0 ? "basic_clean" : "model_pose12";
            String key = UUID.randomUUID().toString();
            String body = "{\"type\":\"" + type + "\",\"inputKey\":\"" + inputKey
                    + "\",\"params\":{\"scene\":\"studio\",\"category\":\"dress\"}}";
            for (int attempt = 0; attempt < 20; attempt++) {
                long start = System.nanoTime();
                JsonNode d = call(
                        "POST /api/task/create " + type,
                        post("/api/task/create", body).header("Idempotency-Key", key));
                if (d != null) {
                    accepted.put(key, d.get("taskId").asText());
                    if (i % 3 == 0) {
                        call(
                                "GET /api/task/{id}",
                                HttpRequest.newBuilder(
                                        uri("/api/task/" + d.get("taskId").asText())));
                    }
                    return;
                }
                pace(start);
            }
            unaccepted.incrementAndGet();
        }
    }

    /**
     * Buys the monthly plan through nginx; the fake pays it and delivers its notification twice to each instance
     * directly (as WeChat Pay would retry; one of them may be dead), or, every fourth order, never (the reconciler
     * grants it).
     */
    private final class PayClient extends Client {
        final List<String> paid = new CopyOnWriteArrayList<>();
        final AtomicInteger delivered = new AtomicInteger();
        final AtomicInteger undelivered = new AtomicInteger();
        /** Notifications no instance answered 2xx to, after retries. */
        final AtomicInteger lost = new AtomicInteger();
        /** Purchases answered with an order already paid at WeChat Pay (see {@link #step}). */
        final AtomicInteger reusedPaid = new AtomicInteger();

        final List<Integer> ports;

        PayClient(int n, long userId, List<Integer> ports) throws Exception {
            super(n, userId);
            this.ports = ports;
        }

        @Override
        void step(int i) {
            JsonNode d =
                    call("POST /api/membership/purchase", post("/api/membership/purchase", "{\"planId\":\"monthly\"}"));
            if (d == null) {
                return; // a retry reuses the pending order
            }
            String orderId = d.get("orderId").asText();
            if (!fake.order(orderId).orElseThrow().tradeState().equals("NOTPAY")) {
                // paid, its notification dropped, not yet reconciled: still pending here, so handed out again
                reusedPaid.incrementAndGet();
                return;
            }
            fake.pay(orderId);
            paid.add(orderId);
            if (paid.size() % 4 == 0) {
                return; // dropped: the reconciler's
            }
            FakeWeChatPay.Notification note = fake.notification(fake.transaction(orderId));
            for (int attempt = 0; attempt < 20; attempt++) {
                boolean answered = false;
                for (int port : ports) {
                    try {
                        for (Delivery x : fake.send(
                                "http://127.0.0.1:" + port + "/api/payment/wechat/notify", note, Fault.DUPLICATE)) {
                            delivered.incrementAndGet();
                            answered |= x.status() / 100 == 2;
                        }
                    } catch (UncheckedIOException e) {
                        undelivered.incrementAndGet();
                    }
                }
                if (answered) {
                    return;
                }
                ServerInstances.sleep(PACE_MS);
            }
            lost.incrementAndGet();
        }
    }

    private static int grantRows(Jdbc jdbc, String orderId) {
        return ledgerRows(jdbc, "grant", "order:" + orderId);
    }

    private static int ledgerRows(Jdbc jdbc, String reason, String ref) {
        return jdbc.queryOne(
                        "SELECT COUNT(*) FROM quota_ledger WHERE reason = ? AND ref = ?", r -> r.getInt(1), reason, ref)
                .orElseThrow();
    }

    private static long count(Jdbc jdbc, String sql) {
        return jdbc.queryOne(sql, r -> r.getLong(1)).orElseThrow();
    }

    private static String phone(int n) {
        return "1390000" + String.format("%04d", n);
    }

    /** A garment-like picture: a coloured shape on grey, small so twelve poses stay cheap. */
    private static byte[] png() throws IOException {
        BufferedImage img = new BufferedImage(96, 128, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.LIGHT_GRAY);
        g.fillRect(0, 0, 96, 128);
        g.setColor(Color.ORANGE);
        g.fillRoundRect(20, 16, 56, 96, 20, 20);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
