package com.aiphoto.server.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.credentials.CredentialException;
import com.aiphoto.core.credentials.ProviderCredentialStore;
import com.aiphoto.core.crypto.CredentialKeys;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.NoSecrets;
import com.aiphoto.server.TestServers;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.kv.KvServices;
import com.aiphoto.server.tasks.runninghub.RunningHubClient;
import com.aiphoto.testing.Concurrently;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import com.aiphoto.testing.TestSecrets;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Provider credentials through the admin API on MariaDB and Redis: encrypted at rest, write-only, audited without
 * the value, and read by the clients' suppliers on every instance without a restart.
 */
class ProviderCredentialsTest {
    static final String JWT_SECRET = AdminApiContract.JWT_SECRET;
    static final String ENV_KEY = "rh-env-key-from-the-env-file-0001";
    static final String KEY_1 = "rh-admin-entered-key-aaaa-1111";
    static final String KEY_2 = "rh-admin-entered-key-bbbb-2222";

    @TempDir
    static Path dir;

    static TestDatabases.Scratch db;
    static String prefix;
    static AiPhotoServer.Running server;
    static Http api;
    static Map<String, String> settings;
    static LogCapture logs;
    static AdminApiContract.Caller admin;

    @BeforeAll
    static void start() {
        db = TestDatabases.create("providers");
        prefix = TestRedis.randomPrefix();
        settings = new HashMap<>(db.settings());
        settings.putAll(TestRedis.serverSettings(prefix));
        settings.put("JWT_SECRET", JWT_SECRET);
        settings.put("CREDENTIALS_ENCRYPTION_KEY", AdminApiContract.ENCRYPTION_KEY);
        settings.put("RUNNINGHUB_API_KEY", ENV_KEY);
        settings.put("RUNNINGHUB_WEBAPP_ID", "1234567");
        // the plaintexts this class writes through the admin API: the suite-wide log scan looks for them too
        TestSecrets.register("provider credential plaintext 1 (admin API)", KEY_1);
        TestSecrets.register("provider credential plaintext 2 (admin API)", KEY_2);
        logs = LogCapture.all();
        server = TestServers.start(dir, settings);
        api = new Http(server.port());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            server.stop();
            // after everything: no credential in any log line (captured, and the server's log files) or audit row
            List<String> secrets = List.of(KEY_1, KEY_2, ENV_KEY, "stolen-or-tampered-value-xyz");
            NoSecrets.assertNone(
                    logs, List.of(dir.resolve("logs")), new Jdbc(db.dataSource(), Duration.ofSeconds(5)), secrets);
        } finally {
            logs.close();
            db.close();
            TestRedis.deleteByPrefix(prefix);
        }
    }

    @BeforeEach
    void clean() {
        jdbc().update("DELETE FROM provider_credentials");
        server.platform().kv().wakeupSignal().signal(ProviderCredentials.TOPIC);
        if (admin == null) {
            admin = newAdmin();
        }
    }

    static Jdbc jdbc() {
        return server.platform().database().jdbc();
    }

    static AdminApiContract.Caller newAdmin() {
        Instant now = Instant.now();
        long id = jdbc().insert(
                        "INSERT INTO users (phone, role, quota_balance, created_at, updated_at) VALUES (?, 'admin', 0, ?, ?)",
                        "13512345678",
                        now,
                        now);
        return new AdminApiContract.Caller(id, com.aiphoto.server.auth.TestTokens.issue(JWT_SECRET, id));
    }

    /** Another server instance's reader over the same database, signalled through {@code kv}. */
    static ProviderCredentials instance(KvServices kv, Duration ttl) {
        Settings s = Settings.of(settings);
        Jdbc jdbc = jdbc();
        return new ProviderCredentials(
                jdbc,
                new ProviderCredentialStore(Clock.systemUTC()),
                CredentialKeys.from(s),
                s,
                new AuditLog(jdbc, Clock.systemUTC(), Redactor.of(s)),
                kv.wakeupSignal(),
                ttl,
                System::nanoTime);
    }

    static Http.Response put(String ref, String body) {
        return api.method("PUT", "/api/admin/providers/" + ref, body, admin.auth());
    }

    static JsonNode provider(String ref) {
        Http.Response r = api.get("/api/admin/providers", admin.auth());
        assertEquals(200, r.status(), r.body());
        for (JsonNode p : r.json().get("data").get("providers")) {
            if (p.get("ref").asText().equals(ref)) {
                return p;
            }
        }
        throw new AssertionError(ref + " missing: " + r.body());
    }

    @Test
    void credentialsAreWriteOnlyEncryptedAndAudited() {
        JsonNode before = provider("runninghub");
        assertEquals("environment", before.get("source").asText());
        assertEquals("****0001", before.get("credentials").asText());
        assertEquals("none", provider("hunyuan").get("source").asText());

        Http.Response r =
                put("runninghub", "{\"endpointUrl\":\"https://rh.example.com\",\"credentials\":\"" + KEY_1 + "\"}");
        assertEquals(200, r.status(), r.body());
        assertFalse(r.body().contains(KEY_1), r.body());
        JsonNode stored = r.json().get("data");
        assertEquals("database", stored.get("source").asText());
        assertEquals("****1111", stored.get("credentials").asText());
        assertEquals("https://rh.example.com", stored.get("endpointUrl").asText());
        assertEquals(
                CredentialKeys.version("K", AdminApiContract.ENCRYPTION_KEY),
                stored.get("keyVersion").asInt());

        String ciphertext = jdbc().queryOne(
                        "SELECT ciphertext FROM provider_credentials WHERE provider_ref = 'runninghub'",
                        x -> x.getString(1))
                .orElseThrow();
        assertFalse(ciphertext.contains(KEY_1) || ciphertext.contains("1111"), ciphertext);
        JsonNode read = provider("runninghub");
        assertEquals("****1111", read.get("credentials").asText());
        assertFalse(api.get("/api/admin/providers", admin.auth()).body().contains(KEY_1));

        JsonNode audit = api.get("/api/admin/audit-logs?action=provider.credentials.set", admin.auth())
                .json()
                .get("data")
                .get("logs")
                .get(0);
        assertEquals("runninghub", audit.get("resourceId").asText());
        assertEquals("admin:" + admin.id(), audit.get("actor").asText());
        assertTrue(audit.get("details").get("credentialsChanged").asBoolean());
        assertFalse(audit.toString().contains(KEY_1), audit.toString());

        // only the endpoint: the credentials stay
        Http.Response moved = put("runninghub", "{\"endpointUrl\":\"https://rh2.example.com\"}");
        assertEquals(200, moved.status(), moved.body());
        assertEquals("****1111", moved.json().get("data").get("credentials").asText());
    }

    @Test
    void badWritesAreRefusedAndChangeNothing() {
        assertError(put("nosuch", "{\"credentials\":\"abcdefghijklmnop\"}"), 404, 4004);
        assertError(put("runninghub", "{\"endpointUrl\":\"ftp://x\",\"credentials\":\"abcdefghijklmnop\"}"), 400, 4001);
        assertError(
                put("runninghub", "{\"endpointUrl\":\"https://u:p@x.example\",\"credentials\":\"abcdefghijklmnop\"}"),
                400,
                4001);
        assertError(put("runninghub", "{\"endpointUrl\":\"https://x.example\"}"), 400, 4001); // none stored yet
        assertError(put("runninghub", "{\"credentials\":\"   \"}"), 400, 4001);
        assertError(put("runninghub", "{\"credentials\":5}"), 400, 4001);
        assertEquals(0, count("SELECT COUNT(*) FROM provider_credentials"));
    }

    static int count(String sql) {
        return jdbc().queryOne(sql, r -> r.getInt(1)).orElseThrow();
    }

    static void assertError(Http.Response r, int status, int code) {
        AdminApiContract.assertError(r, status, code);
    }

    @Test
    void theRunningHubSupplierPrefersTheStoredRowElseTheEnvironment() {
        try (KvServices kv = KvServices.inProcess()) {
            ProviderCredentials reader = instance(kv, Duration.ZERO);
            Supplier<RunningHubClient.Config> config = reader.runningHub(Settings.of(settings));
            assertEquals(ENV_KEY, config.get().apiKey());
            assertEquals("https://www.runninghub.cn", config.get().baseUrl().toString());
            assertEquals("1234567", config.get().webappId());

            assertEquals(
                    200,
                    put("runninghub", "{\"credentials\":\"" + KEY_1 + "\"}").status());
            assertEquals(KEY_1, config.get().apiKey());
            assertEquals("https://www.runninghub.cn", config.get().baseUrl().toString(), "no endpoint: the default");
            assertFalse(config.get().toString().contains(KEY_1));
            assertEquals(
                    200,
                    put("runninghub", "{\"endpointUrl\":\"https://rh.example.com\"}")
                            .status());
            assertEquals("https://rh.example.com", config.get().baseUrl().toString());

            // a tampered value: a clear error, never a wrong key or the environment's
            jdbc().update(
                            "UPDATE provider_credentials SET ciphertext = CONCAT(SUBSTRING(ciphertext, 1, LENGTH(ciphertext) - 6),"
                                    + " 'AAAAAA') WHERE provider_ref = 'runninghub'");
            CredentialException e = assertThrows(CredentialException.class, config::get);
            assertTrue(e.getMessage().contains("'runninghub'"), e.getMessage());
            JsonNode shown = provider("runninghub");
            assertTrue(shown.get("credentials").isNull());
            assertTrue(shown.get("error").asText().contains("fails authentication"), shown.toString());
        }
    }

    /** A write on one instance reaches another at once through Redis, though its cache would keep values for an hour. */
    @Test
    void aChangeReachesAnotherInstanceWithoutARestart() throws Exception {
        assertEquals(
                200, put("runninghub", "{\"credentials\":\"" + KEY_1 + "\"}").status());
        try (KvServices kv = KvServices.create(Settings.of(settings), settings.get("REDIS_PREFIX"))) {
            ProviderCredentials other = instance(kv, Duration.ofHours(1));
            Supplier<RunningHubClient.Config> config = other.runningHub(Settings.of(settings));
            assertEquals(KEY_1, config.get().apiKey());
            Thread.sleep(300); // the pub/sub subscription is made asynchronously
            assertEquals(
                    200,
                    put("runninghub", "{\"credentials\":\"" + KEY_2 + "\"}").status());
            assertTrue(
                    Concurrently.within(
                            Duration.ofSeconds(5),
                            () -> KEY_2.equals(config.get().apiKey())),
                    "the other instance still reads " + config.get());
            other.close();
        }
    }

    /** Without a signal (no Redis between the instances), the TTL bounds how long the old value is used. */
    @Test
    void withoutASignalTheTtlBoundsTheStaleness() {
        assertEquals(
                200, put("runninghub", "{\"credentials\":\"" + KEY_1 + "\"}").status());
        AtomicLong clock = new AtomicLong();
        try (KvServices kv = KvServices.inProcess()) {
            Settings s = Settings.of(settings);
            ProviderCredentials other = new ProviderCredentials(
                    jdbc(),
                    new ProviderCredentialStore(Clock.systemUTC()),
                    CredentialKeys.from(s),
                    s,
                    new AuditLog(jdbc(), Clock.systemUTC(), Redactor.of(s)),
                    kv.wakeupSignal(),
                    Duration.ofSeconds(30),
                    clock::get);
            assertEquals(
                    KEY_1,
                    other.stored(ProviderCredentials.Provider.RUNNINGHUB)
                            .orElseThrow()
                            .secret());
            assertEquals(
                    200,
                    put("runninghub", "{\"credentials\":\"" + KEY_2 + "\"}").status());
            clock.addAndGet(Duration.ofSeconds(29).toNanos());
            assertEquals(
                    KEY_1,
                    other.stored(ProviderCredentials.Provider.RUNNINGHUB)
                            .orElseThrow()
                            .secret());
            clock.addAndGet(Duration.ofSeconds(1).toNanos());
            assertEquals(
                    KEY_2,
                    other.stored(ProviderCredentials.Provider.RUNNINGHUB)
                            .orElseThrow()
                            .secret());
        }
    }

    @Test
    void withoutAnEncryptionKeyNothingCanBeStored() {
        Settings s = Settings.of(Map.of());
        try (KvServices kv = KvServices.inProcess()) {
            ProviderCredentials noKey = new ProviderCredentials(
                    jdbc(),
                    new ProviderCredentialStore(Clock.systemUTC()),
                    Optional.empty(),
                    s,
                    new AuditLog(jdbc(), Clock.systemUTC(), Redactor.of(s)),
                    kv.wakeupSignal(),
                    Duration.ZERO,
                    System::nanoTime);
            ApiException e = assertThrows(
                    ApiException.class,
                    () -> noKey.put(
                            new AccountAdmin.Actor(admin.id(), null, null, null),
                            "runninghub",
                            null,
                            Optional.of("stolen-or-tampered-value-xyz")));
            assertEquals(ErrorCode.UNAVAILABLE, e.error());
            assertTrue(e.getMessage().contains("CREDENTIALS_ENCRYPTION_KEY"), e.getMessage());
        }
        assertEquals(0, count("SELECT COUNT(*) FROM provider_credentials"));
    }
}
