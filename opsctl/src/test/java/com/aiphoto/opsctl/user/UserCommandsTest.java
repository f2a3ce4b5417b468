package com.aiphoto.opsctl.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** user show / promote on MariaDB with the real schema: the first admin is made from the command line. */
class UserCommandsTest {
    private TestDatabases.Scratch db;
    private Map<String, String> env;

    @BeforeEach
    void database() {
        db = TestDatabases.create("usercmd");
        env = db.settings();
        assertEquals(ExitCode.OK, Cli.run(env, "db", "migrate").code());
        TestDatabases.exec("INSERT INTO `" + db.name() + "`.users (phone, role, quota_balance, created_at, updated_at)"
                + " VALUES ('13800000001', 'user', 7, '2026-01-02 03:04:05.000', '2026-01-02 03:04:05.000')");
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
}
