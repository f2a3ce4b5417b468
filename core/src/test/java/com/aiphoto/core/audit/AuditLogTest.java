package com.aiphoto.core.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.testing.TestDatabases;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuditLogTest {
    private static final String CONFIGURED_SECRET = "wxpay-apiv3-key-0f3a9c";
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123Z");

    private static AuditLog audit(Jdbc jdbc) {
        return new AuditLog(
                jdbc,
                Clock.fixed(T0, ZoneOffset.UTC),
                Redactor.of(Settings.of(Map.of("WECHAT_API_V3_KEY", CONFIGURED_SECRET))));
    }

    private static Map<String, Object> details() {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("apiKey", "rh-plain-api-key");
        d.put("note", "pasted " + CONFIGURED_SECRET + " by mistake");
        d.put("nested", Map.of("password", "hunter2hunter2", "endpoint", "https://rh.example.com"));
        d.put("list", List.of(Map.of("access_token", "tok-123456"), "plain"));
        d.put("delta", -3);
        d.put("clientSecret", null);
        return d;
    }

    @Test
    void recordsRedactedDetailsOnMariaDb() throws Exception {
        try (TestDatabases.Scratch db = TestDatabases.create("audit");
                HikariDataSource ds = DataSources.create(DatabaseSettings.from(Settings.of(db.settings())), "audit")) {
            new Migrations(ds, Migrations.DEFAULT_LOCATION).migrate();
            Jdbc jdbc = new Jdbc(ds, Duration.ofSeconds(5));
            AuditLog log = audit(jdbc);
            long id = log.record(AuditLog.Entry.byAdmin(
                    7, "user.quota.adjust", "user", "42", details(), "203.0.113.9", "curl/8", "req-1"));
            AuditLog.Row row = log.latest(10).getFirst();
            assertEquals(id, row.id());
            assertEquals("admin:7", row.actor());
            assertEquals(7L, row.actorUserId());
            assertEquals("user.quota.adjust", row.action());
            assertEquals("user", row.resourceType());
            assertEquals("42", row.resourceId());
            assertEquals("203.0.113.9", row.clientIp());
            assertEquals("curl/8", row.userAgent());
            assertEquals("req-1", row.requestId());
            assertEquals(T0, row.createdAt());

            JsonNode d = new ObjectMapper().readTree(row.details());
            assertEquals(AuditLog.REDACTED, d.get("apiKey").asText());
            assertEquals("pasted **** by mistake", d.get("note").asText());
            assertEquals(AuditLog.REDACTED, d.get("nested").get("password").asText());
            assertEquals(
                    "https://rh.example.com", d.get("nested").get("endpoint").asText());
            assertEquals(
                    AuditLog.REDACTED, d.get("list").get(0).get("access_token").asText());
            assertEquals("plain", d.get("list").get(1).asText());
            assertEquals(-3, d.get("delta").asInt());
            assertTrue(d.get("clientSecret").isNull());
            for (String secret : List.of("rh-plain-api-key", CONFIGURED_SECRET, "hunter2hunter2", "tok-123456")) {
                assertFalse(row.details().contains(secret), row.details());
            }
        }
    }

    /** The row commits with the caller's change or not at all. */
    @Test
    void joinsTheCallersTransaction() {
        try (TestDatabases.Scratch db = TestDatabases.create("audittx");
                HikariDataSource ds = DataSources.create(DatabaseSettings.from(Settings.of(db.settings())), "audit")) {
            new Migrations(ds, Migrations.DEFAULT_LOCATION).migrate();
            Jdbc jdbc = new Jdbc(ds, Duration.ofSeconds(5));
            AuditLog log = audit(jdbc);
            assertThrows(
                    IllegalStateException.class,
                    () -> jdbc.inTransaction(h -> {
                        log.record(h, AuditLog.Entry.byOpsctl("user.role.set", "user", "1", Map.of("role", "admin")));
                        throw new IllegalStateException("the change failed after the audit row");
                    }));
            assertEquals(List.of(), log.latest(10));

            jdbc.inTransaction(h -> log.record(h, AuditLog.Entry.byOpsctl("user.role.set", "user", "1", null)));
            AuditLog.Row row = log.latest(10).getFirst();
            assertEquals(AuditLog.opsctlActor(), row.actor());
            assertTrue(row.actor().startsWith("opsctl@") && row.actor().length() > 7, row.actor());
            assertNull(row.actorUserId());
            assertNull(row.details());
        }
    }

    /** The embedded database takes the migration and the writer as they are. */
    @Test
    void worksOnH2() {
        TestDatabases.H2Scratch db = TestDatabases.h2("audit");
        HikariConfig c = new HikariConfig();
        c.setJdbcUrl(db.jdbcUrl());
        try (HikariDataSource ds = new HikariDataSource(c)) {
            new Migrations(ds, Migrations.DEFAULT_LOCATION).migrate();
            AuditLog log = audit(new Jdbc(ds, Duration.ofSeconds(5)));
            log.record(
                    AuditLog.Entry.byOpsctl("secrets.generate", "env_file", "/etc/ai-photo/ai-photo.env", details()));
            AuditLog.Row row = log.latest(1).getFirst();
            assertEquals("secrets.generate", row.action());
            assertFalse(row.details().contains(CONFIGURED_SECRET), row.details());
            assertFalse(row.details().contains("rh-plain-api-key"), row.details());
        } finally {
            db.close();
        }
    }

    @Test
    void secretLookingFieldNames() {
        for (String f : List.of("apiKey", "api_key", "API-KEY", "password", "newPassword", "clientSecret", "token")) {
            assertTrue(AuditLog.secretName(f), f);
        }
        for (String f : List.of("key", "keys", "role", "delta", "reason", "endpointUrl")) {
            assertFalse(AuditLog.secretName(f), f);
        }
    }
}
