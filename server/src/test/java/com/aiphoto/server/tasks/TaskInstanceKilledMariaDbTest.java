package com.aiphoto.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.auth.TestTokens;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance killed mid-task: a server in a child JVM takes a task to its fetch step and is halted there (SIGKILL,
 * no shutdown hooks); a second instance on the same database revives the execution after the missed heartbeats and
 * finishes it: one result, one charge, no refund, and the vendor not asked again.
 */
class TaskInstanceKilledMariaDbTest {
    private static final String JWT_SECRET = "tasks-killed-test-jwt-secret-0123456789-abc";

    @TempDir
    Path dir;

    TestDatabases.Scratch db;
    Process child;
    AiPhotoServer.Running survivor;

    @BeforeEach
    void database() {
        db = TestDatabases.create("tasks_kill");
    }

    @AfterEach
    void cleanUp() {
        if (child != null) {
            child.destroyForcibly();
        }
        if (survivor != null) {
            survivor.stop();
        }
        db.close();
    }

    Map<String, String> settings() {
        Map<String, String> m = new HashMap<>(db.settings("mariadb"));
        m.put("JWT_SECRET", JWT_SECRET);
        m.put("SCHEDULER_POLL_INTERVAL", "200ms");
        m.put("SCHEDULER_HEARTBEAT", "1s");
        m.put("SCHEDULER_MISSED_HEARTBEATS", "4");
        m.put("TASK_POLL_INTERVAL", "200ms");
        m.put("TASK_STEP_TIMEOUT", "10m");
        m.put("TASK_DEADLINE_BASIC_CLEAN", "5m");
        com.aiphoto.core.testing.ConfiguredSecrets.register(m); // child JVMs: the suite-wide log scan
        return m;
    }

    @Test
    void anotherInstanceFinishesATaskWhoseInstanceWasKilledMidStep() throws Exception {
        Path props = dir.resolve("child.properties");
        Properties p = new Properties();
        p.putAll(settings());
        try (Writer w = Files.newBufferedWriter(props)) {
            p.store(w, null);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        TaskChildInstance.class.getName(),
                        dir.toString(),
                        props.toString())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
        int port = childPort(child);

        Jdbc jdbc = new Jdbc(db.dataSource(), Duration.ofSeconds(10));
        Instant now = Instant.now();
        long userId = jdbc.insert(
                "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES ('13700000001', 'user', "
                        + "0, ?, ?)",
                now,
                now);
        // the child server has not read this new user yet: there is no cached row to evict
        new QuotaLedger(jdbc, Clock.systemUTC(), AccountChanges.NONE).grant(userId, 2, 30, "kill-test-" + userId);
        String[] auth = {"Authorization", "Bearer " + TestTokens.issue(JWT_SECRET, userId)};

        Http api = new Http(port);
        byte[] png = TaskFlowContract.PNG;
        Http.Response grant = api.post(
                "/api/media/upload-url",
                "{\"fileName\":\"a.png\",\"contentType\":\"image/png\",\"size\":" + png.length + "}",
                auth);
        assertEquals(200, grant.status(), grant.body());
        JsonNode g = grant.json().get("data");
        URI u = URI.create(g.get("uploadUrl").asText());
        HttpRequest.Builder put = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + u.getRawPath() + "?" + u.getRawQuery()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(png));
        g.get("headers")
                .properties()
                .forEach(e -> put.header(e.getKey(), e.getValue().asText()));
        assertEquals(
                200,
                HttpClient.newHttpClient()
                                .send(put.build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        / 100
                        * 100);
        Http.Response created = api.post(
                "/api/task/create",
                TaskFlowContract.body("basic_clean", g.get("key").asText(), "succeed"),
                auth);
        assertEquals(200, created.status(), created.body());
        String id = created.json().get("data").get("taskId").asText();

        Path marker = dir.resolve("fetching");
        assertTrue(Concurrently.within(Duration.ofSeconds(30), () -> Files.exists(marker)), "the child reached fetch");
        assertEquals(id, Files.readString(marker));
        child.destroyForcibly(); // SIGKILL: no shutdown hooks, the execution stays picked by a dead instance
        assertTrue(child.waitFor(10, TimeUnit.SECONDS));
        assertEquals(
                List.of("processing", "fetch", "child-" + id),
                jdbc.queryOne(
                                "SELECT status, step, vendor_task_id FROM tasks WHERE id = ?",
                                r -> List.of(r.getString(1), r.getString(2), r.getString(3)),
                                id)
                        .orElseThrow());

        ScriptedProvider[] provider = new ScriptedProvider[1];
        survivor = TestServers.start(dir, settings(), PaymentsModule::create, (pl, a, files, credentials) -> {
            provider[0] = new ScriptedProvider(files.storage(), png);
            return TasksModule.create(pl, a, files, t -> provider[0]);
        });
        Http api2 = new Http(survivor.port());
        assertTrue(
                Concurrently.within(Duration.ofSeconds(60), () -> {
                    Http.Response r = api2.get("/api/task/" + id, auth);
                    return r.json().get("data").get("status").asText().equals("succeeded");
                }),
                "the survivor finished the task: "
                        + api2.get("/api/task/" + id, auth).body());

        assertEquals(0, ScriptedProvider.count(provider[0].submits, id), "not submitted again");
        assertEquals(1, ScriptedProvider.count(provider[0].fetches, id));
        assertEquals(
                1,
                api2.get("/api/task/" + id, auth)
                        .json()
                        .get("data")
                        .get("resultUrls")
                        .size());
        int deducts = jdbc.queryOne(
                        "SELECT COUNT(*) FROM quota_ledger WHERE user_id = ? AND reason = 'deduct'",
                        r -> r.getInt(1),
                        userId)
                .orElseThrow();
        int refunds = jdbc.queryOne(
                        "SELECT COUNT(*) FROM quota_ledger WHERE reason = 'refund' AND ref = ?", r -> r.getInt(1), id)
                .orElseThrow();
        int balance = jdbc.queryOne("SELECT quota_balance FROM users WHERE id = ?", r -> r.getInt(1), userId)
                .orElseThrow();
        assertEquals(List.of(1, 0, 1), List.of(deducts, refunds, balance));
    }

    /** The child's {@code PORT <n>} line, within a minute (its start includes the migrations). */
    private int childPort(Process p) throws Exception {
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    if (line.startsWith("PORT ")) {
                        return Integer.parseInt(line.substring(5).trim());
                    }
                }
                throw new IllegalStateException("the child ended without serving");
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try {
            return port.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new AssertionError("child did not start: " + Files.readString(dir.resolve("child.err")), e);
        }
    }
}
