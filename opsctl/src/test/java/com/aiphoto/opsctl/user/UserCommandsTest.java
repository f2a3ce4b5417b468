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

/**
 * user show / promote / quota on MariaDB with the real schema: the first admin is made from the command line;
 * promote and quota write one audit row each, in the transaction of their change.
 */
class UserCommandsTest {
    private TestDatabases.Scratch db;
    private static final String PHONE = "13800000001";
    private Map<String, String> env;
    private Jdbc jdbc;

    @BeforeEach
    void database() {
        db = TestDatabases.create("usercmd");
        env = db.settings();
        assertEquals(ExitCode.OK, Cli.run(env, "db", "migrate").code());
        TestDatabases.exec("INSERT INTO `" + db.name() + "`.users (phone, role, quota_balance, created_at, updated_at)"
                + " VALUES ('13800000001', 'user', 7, '2026-01-02 03:04:05.000', '2026-01-02 03:04:05.000')");
        jdbc = new Jdbc(db.dataSource(), Duration.ofSeconds(5));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    private String role() {
        Map<?, ?> shown =
                Cli.json(Cli.run(env, "user", "show", "13800000001", "--json").out());
        return (String) shown.get("role");
    }

    @Test
    void promoteAndDemote() {
        Cli.Result show = Cli.run(env, "user", "show", "13800000001");
        assertEquals(ExitCode.OK, show.code(), show.all());
        assertTrue(show.out().contains("role user") && show.out().contains("quota 7"), show.out());

        Cli.Result dry = Cli.run(env, "user", "promote", "13800000001", "--role", "admin", "--dry-run");
        assertTrue(dry.out().contains("would change user -> admin"), dry.out());
        assertEquals("user", role(), "a dry run changes nothing");

        Cli.Result promoted = Cli.run(env, "user", "promote", "13800000001", "--role", "admin");
        assertEquals(ExitCode.OK, promoted.code(), promoted.all());
        assertEquals("admin", role());
        assertTrue(Cli.run(env, "user", "promote", "13800000001", "--role", "admin")
                .out()
                .contains("already admin"));

        assertEquals(
                ExitCode.OK,
                Cli.run(env, "user", "promote", "13800000001", "--role", "user").code());
        assertEquals("user", role());
    }

    @Test
    void unknownPhoneBadPhoneAndBadRole() {
        Cli.Result unknown = Cli.run(env, "user", "promote", "13900000009", "--role", "admin");
        assertEquals(ExitCode.FAILED, unknown.code());
        assertEquals(1, unknown.errLines().size(), unknown.err());
        assertTrue(unknown.err().contains("no account with phone 13900000009"), unknown.err());
        assertEquals(ExitCode.USAGE, Cli.run(env, "user", "show", "12345").code());
        assertEquals(
                ExitCode.USAGE,
                Cli.run(env, "user", "promote", "13800000001", "--role", "root").code());
        assertEquals(
                ExitCode.USAGE, Cli.run(env, "user", "promote", "13800000001").code());
    }

    @Test
    void quotaGoesThroughTheLedger() {
        Cli.Result added = Cli.run(env, "user", "quota", "13800000001", "--add", "5", "--reason", "ticket 42");
        assertEquals(ExitCode.OK, added.code(), added.all());
        assertTrue(added.out().contains("quota +5 -> 12"), added.out());
        // every run is its own change
        Map<?, ?> again =
                Cli.json(Cli.run(env, "user", "quota", "13800000001", "--add", "-2", "--reason", "ticket 43", "--json")
                        .out());
        assertEquals(10, again.get("quotaRemaining"));
        assertEquals(-2, again.get("delta"));
        Map<?, ?> shown =
                Cli.json(Cli.run(env, "user", "show", "13800000001", "--json").out());
        assertEquals(10, shown.get("quotaRemaining"));

        Cli.Result tooMuch = Cli.run(env, "user", "quota", "13800000001", "--add", "-11", "--reason", "oops");
        assertEquals(ExitCode.FAILED, tooMuch.code(), tooMuch.all());
        assertEquals(1, tooMuch.errLines().size(), tooMuch.err());
        assertTrue(tooMuch.err().contains("nothing changed"), tooMuch.err());
        assertEquals(
                ExitCode.USAGE,
                Cli.run(env, "user", "quota", "13800000001", "--add", "0", "--reason", "x")
                        .code());
        assertEquals(
                ExitCode.USAGE,
                Cli.run(env, "user", "quota", "13800000001", "--add", "1").code());
        assertEquals(
                ExitCode.FAILED,
                Cli.run(env, "user", "quota", "13900000009", "--add", "1", "--reason", "x")
                        .code());

        // the ledger holds both adjustments, with the reason and who ran it, and sums to the change
        try (java.sql.Connection c = db.dataSource().getConnection();
                java.sql.Statement st = c.createStatement();
                java.sql.ResultSet rs = st.executeQuery(
                        "SELECT COUNT(*), SUM(delta), MIN(note) FROM quota_ledger WHERE reason = 'adjust'")) {
            rs.next();
            assertEquals(2, rs.getInt(1));
            assertEquals(3, rs.getInt(2));
            assertTrue(rs.getString(3).startsWith("ticket 42 [opsctl ("), rs.getString(3));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(e);
        }
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
        assertEquals(ExitCode.FAILED, q.code(), q.all());
        assertEquals(1, q.errLines().size(), q.err());
        assertTrue(q.err().contains("audit_logs") && q.err().endsWith("nothing changed\n"), q.err());
        Cli.Result p = Cli.run(env, "user", "promote", PHONE, "--role", "admin");
        assertEquals(ExitCode.FAILED, p.code(), p.all());
        assertTrue(p.err().contains("audit_logs"), p.err());
        assertEquals(7, count("SELECT quota_balance FROM users"));
        assertEquals(0, count("SELECT COUNT(*) FROM quota_ledger"));
        assertEquals(1, count("SELECT COUNT(*) FROM users WHERE role = 'user'"));
    }
}
