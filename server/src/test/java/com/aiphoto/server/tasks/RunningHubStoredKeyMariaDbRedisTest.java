package com.aiphoto.server.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.NoSecrets;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.auth.TestTokens;
import com.aiphoto.server.tasks.TaskUsers.Caller;
import com.aiphoto.testing.FakeRunningHub;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.ScratchBackend;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RunningHub's key from provider_credentials, end to end on two server instances sharing a scratch MariaDB and a
 * Redis prefix: runs carry the environment's key until an admin stores another on instance A; instance B's next
 * run carries the new one without a restart, though B's credential cache holds values for 10 minutes (only the
 * Redis signal can have cleared it). The fake refuses the old key once rotated (802, which fails a task at once),
 * so a run with the wrong key cannot pass. No key appears in a log or an audit row.
 */
class RunningHubStoredKeyMariaDbRedisTest {
    private static final String JWT_SECRET = "rh-stored-key-test-jwt-secret-0123456789-abc";
    private static final String ENCRYPTION_KEY = "q3Jm0d4cJ5r7xZbq1mVn8bR3kY6tW2eLh9sPa0fUu4c=";
    private static final String ENV_KEY = "rh-env-key-0123456789abcdef";
    private static final String STORED_KEY = "rh-stored-key-fedcba9876543210";

    @TempDir
    Path dir;

    @Test
    void aKeyStoredOnOneInstanceIsWhatTheOtherSendsOnItsNextRun() throws Exception {
        HttpClient raw = HttpClient.newHttpClient();
        try (ScratchBackend backend = ScratchBackend.create("rhkey");
                FakeRunningHub runningHub = new FakeRunningHub(ENV_KEY)) {
            runningHub.script(FakeRunningHub.Script.succeeds());
            AiPhotoServer.Running a = start(backend, runningHub, "a");
            AiPhotoServer.Running b = null;
            LogCapture logs = null;
            try {
                b = start(backend, runningHub, "b");
                // after the starts, which configure logging afresh (the log files cover the starts)
                logs = LogCapture.all();
                Http apiA = new Http(a.port());
                Http apiB = new Http(b.port());
                Caller member = TaskUsers.member(a.platform().database().jdbc(), JWT_SECRET, 2);

                JsonNode before = pose(apiB, raw, b, member);
                assertEquals("succeeded", before.get("status").asText(), "on the env key: " + before);

                runningHub.apiKey(STORED_KEY);
                Http.Response put = apiA.method(
                        "PUT", "/api/admin/providers/runninghub", "{\"credentials\":\"" + STORED_KEY + "\"}", admin(a));
                assertEquals(200, put.status(), put.body());
                // only B runs tasks from now on: its scheduler is the one left
                a.stop();
                a = null;

                JsonNode done = pose(apiB, raw, b, member);
                assertEquals("succeeded", done.get("status").asText(), "B still sends the old key: " + done);
                assertEquals(2, runningHub.runs().size());

                b.stop();
                b = null;
                NoSecrets.assertNone(
                        logs,
                        List.of(dir.resolve("a/logs"), dir.resolve("b/logs")),
                        new Jdbc(backend.database().dataSource(), Duration.ofSeconds(5)),
                        List.of(ENV_KEY, STORED_KEY));
            } finally {
                if (logs != null) {
                    logs.close();
                }
                if (a != null) {
                    a.stop();
                }
                if (b != null) {
                    b.stop();
                }
            }
        }
    }

    private AiPhotoServer.Running start(ScratchBackend backend, FakeRunningHub runningHub, String name) {
        Map<String, String> m = new HashMap<>(backend.settings());
        m.putAll(runningHub.settings());
        m.put("JWT_SECRET", JWT_SECRET);
        m.put("CREDENTIALS_ENCRYPTION_KEY", ENCRYPTION_KEY);
        m.put("PROVIDER_CREDENTIALS_CACHE_TTL", "10m");
        m.putAll(TaskEndToEndContract.quickEngine(TaskEndToEndContract.freePort()));
        // either instance's scheduler may run a task made on the other: one local storage for both
        m.put("DATA_DIR", dir.resolve("data").toString());
        return TestServers.start(dir.resolve(name), m);
    }

    /** A model_pose12 task made on {@code server}, finished. */
    private static JsonNode pose(Http api, HttpClient raw, AiPhotoServer.Running server, Caller c) throws Exception {
        Function<String, URI> local = url -> TaskEndToEndContract.local(server.port(), url);
        String key = TaskEndToEndContract.upload(api, raw, local, c, TaskEndToEndContract.picture());
        String id = TaskEndToEndContract.create(api, c, "model_pose12", key);
        return TaskEndToEndContract.awaitFinished(api, c, id, Duration.ofSeconds(30));
    }

    private static String[] admin(AiPhotoServer.Running server) {
        Instant now = Instant.now();
        long id = server.platform()
                .database()
                .jdbc()
                .insert(
                        "INSERT INTO users (phone, role, quota_balance, created_at, updated_at)"
                                + " VALUES (?, 'admin', 0, ?, ?)",
                        "13700000001",
                        now,
                        now);
        return new String[] {"Authorization", "Bearer " + TestTokens.issue(JWT_SECRET, id)};
    }
}
