package com.aiphoto.opsctl.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.audit.AuditLog;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** user promote and user quota each write one audit row, in the transaction of their change. */
class UserAuditTest {
    private static final String PHONE = "13800000001";
    private TestDatabases.Scratch db;
    private Map<String, String> env;
    private Jdbc jdbc;

    @BeforeEach
    void database() {
        db = TestDatabases.create("useraudit");
        env = db.settings();
        assertEquals(ExitCode.OK, Cli.run(env, "db", "migrate").code());
        TestDatabases.exec("INSERT INTO `" + db.name() + "`.users (phone, role, quota_balance, created_at, updated_at)"
                + " VALUES ('" + PHONE + "', 'user', 7, '2026-01-02 03:04:05.000', '2026-01-02 03:04:05.000')");
        jdbc = new Jdbc(db.dataSource(), Duration.ofSeconds(5));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private List<String[]> audit() {
        return jdbc.query("SELECT actor, action, resource_type, resource_id, details FROM audit_logs ORDER BY id", r ->
                new String[] {r.getString(1), r.getString(2), r.getString(3), r.getString(4), r.getString(5)});
    }

    private long userId() {
        return jdbc.queryOne("SELECT id FROM users WHERE phone = ?", r -> r.getLong(1), PHONE)
                .orElseThrow();
    }

    private int count(String sql) {
        return jdbc.queryOne(sql, r -> r.getInt(1)).orElseThrow();
    }

    @Test
    void promoteWritesOneRowPerChange() {
        assertEquals(
                ExitCode.OK,
                Cli.run(env, "user", "promote", PHONE, "--role", "admin", "--dry-run")
                        .code());
        assertEquals(List.of(), audit(), "a dry run records nothing");

        Cli.Result r = Cli.run(env, "user", "promote", PHONE, "--role", "admin");
        assertEquals(ExitCode.OK, r.code(), r.all());
        assertEquals(
                ExitCode.OK,
                Cli.run(env, "user", "promote", PHONE, "--role", "admin").code());
        List<String[]> rows = audit();
        assertEquals(1, rows.size(), "no change, no row");
        assertEquals(AuditLog.opsctlActor(), rows.get(0)[0]);
        assertEquals("user.role.set", rows.get(0)[1]);
        assertEquals("user", rows.get(0)[2]);
        assertEquals(Long.toString(userId()), rows.get(0)[3]);
        assertTrue(
                rows.get(0)[4].contains("\"from\":\"user\"") && rows.get(0)[4].contains("\"to\":\"admin\""),
                rows.get(0)[4]);

        assertEquals(
                ExitCode.OK,
                Cli.run(env, "user", "promote", PHONE, "--role", "user").code());
        assertEquals(2, audit().size());
    }

    @Test
    void quotaWritesOneRowPerAdjustmentAndNoneWhenRefused() {
        assertEquals(
                ExitCode.OK,
                Cli.run(env, "user", "quota", PHONE, "--add", "5", "--reason", "ticket 42")
                        .code());
        assertEquals(
                ExitCode.FAILED,
                Cli.run(env, "user", "quota", PHONE, "--add", "-50", "--reason", "too much")
                        .code());
        List<String[]> rows = audit();
        assertEquals(1, rows.size());
        assertEquals("user.quota.adjust", rows.get(0)[1]);
        String details = rows.get(0)[4];
        assertTrue(details.contains("\"delta\":5") && details.contains("\"balanceAfter\":12"), details);
        assertTrue(
                details.contains("\"reason\":\"ticket 42\"") && details.contains("\"ledgerRef\":\"opsctl:"), details);
        assertEquals(1, count("SELECT COUNT(*) FROM quota_ledger WHERE reason = 'adjust'"));
    }

    /** Without its audit row the change does not happen: one transaction. */
    @Test
    void aFailingAuditRowUndoesTheChange() {
        TestDatabases.exec("RENAME TABLE `" + db.name() + "`.audit_logs TO `" + db.name() + "`.audit_logs_gone");
        Cli.Result q = Cli.run(env, "user", "quota", PHONE, "--add", "5", "--reason", "ticket 42");
        assertTrue(q.code() != ExitCode.OK, q.all());
        Cli.Result p = Cli.run(env, "user", "promote", PHONE, "--role", "admin");
        assertTrue(p.code() != ExitCode.OK, p.all());
        assertEquals(7, count("SELECT quota_balance FROM users"));
        assertEquals(0, count("SELECT COUNT(*) FROM quota_ledger"));
        assertEquals(1, count("SELECT COUNT(*) FROM users WHERE role = 'user'"));
    }
}
