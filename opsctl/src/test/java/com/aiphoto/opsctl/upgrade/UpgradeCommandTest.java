package com.aiphoto.opsctl.upgrade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.TestDatabases;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * opsctl upgrade's failure paths against two real in-process instances: a restart that fails or does not restart
 * stops the rollout at the first instance, exit 1, the second never drained, the roll-back steps printed; a dry
 * run changes nothing. The success path under load is UpgradeUnderLoadIT.
 */
class UpgradeCommandTest {
    @TempDir
    static Path dir;

    static TestDatabases.Scratch db;
    static AiPhotoServer.Running one;
    static AiPhotoServer.Running two;

    @BeforeAll
    static void start() {
        db = TestDatabases.create("upgrade_cmd");
        one = AiPhotoServer.start(TestServers.settings(dir.resolve("one"), db.settings()));
        two = AiPhotoServer.start(TestServers.settings(dir.resolve("two"), db.settings()));
    }

    @AfterAll
    static void stop() {
        for (AiPhotoServer.Running s : new AiPhotoServer.Running[] {one, two}) {
            if (s != null) {
                s.stop();
            }
        }
        if (db != null) {
            db.close();
        }
    }

    private static Map<String, String> env(String restart) {
        Map<String, String> env = new HashMap<>(db.settings());
        env.put("APP_ENV", "test");
        env.put("LOG_DIR", dir.resolve("opsctl-logs").toString());
        env.put("BACKUP_DIR", dir.resolve("backups").toString());
        env.put(
                "API_INSTANCES",
                "127.0.0.1:" + one.port() + "/" + one.adminPort() + ",127.0.0.1:" + two.port() + "/" + two.adminPort());
        env.put("API_RESTART_CMD", restart);
        return env;
    }

    @Test
    void aFailingRestartStopsTheRolloutCancelsTheDrainAndLeavesTheOtherUntouched() {
        Cli.Result r = Cli.run(env("echo no such unit {port} >&2; exit 5"), "--json", "upgrade", "--no-backup");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("restart command exited 5: no such unit " + one.port()), r.err());
        assertTrue(r.err().contains("not reached: 127.0.0.1:" + two.port()), r.err());
        assertTrue(r.err().contains("to roll back:"), r.err());
        Map<?, ?> doc = Cli.json(r.out());
        assertEquals("failed", doc.get("result"));
        List<?> turns = (List<?>) doc.get("instances");
        assertEquals("failed", ((Map<?, ?>) turns.get(0)).get("result"));
        assertEquals("restart", ((Map<?, ?>) turns.get(0)).get("failedStep"));
        assertEquals("not reached", ((Map<?, ?>) turns.get(1)).get("result"));
        assertFalse(one.platform().lifecycle().draining(), "the failed instance's drain was cancelled: it serves on");
        assertFalse(two.platform().lifecycle().draining(), "the second was never drained");
    }

    @Test
    void aRestartThatLeavesTheOldProcessFailsOnHealthAndSaysHowToRollBack() {
        try {
            Cli.Result r =
                    Cli.run(env("true"), "upgrade", "--no-backup", "--health-wait", "2s", "--quiet-period", "0s");
            assertEquals(1, r.code(), r.all());
            assertTrue(r.err().contains("127.0.0.1:" + one.port() + " health failed"), r.err());
            assertTrue(r.err().contains("opsctl upgrade --no-backup"), r.err());
            assertTrue(r.out().contains("failed (health)"), "the summary table: " + r.out());
            assertTrue(r.out().contains("not reached"), r.out());
            assertTrue(one.platform().lifecycle().draining(), "not restarted: it stays drained, out of nginx's pool");
            assertFalse(two.platform().lifecycle().draining());
        } finally {
            one.platform().lifecycle().cancelDraining();
        }
    }

    @Test
    void aDryRunPrintsThePlanAndDrainsNothing() {
        Cli.Result r = Cli.run(env("systemctl restart ai-photo-api@{port}"), "upgrade", "--dry-run");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().contains("restart with 'systemctl restart ai-photo-api@" + one.port() + "'"), r.out());
        assertTrue(r.out().contains("no pending migrations"), r.out());
        assertFalse(one.platform().lifecycle().draining());
        assertFalse(two.platform().lifecycle().draining());
    }

    @Test
    void aMalformedInstanceListIsAPrecondition() {
        Map<String, String> env = env("true");
        env.put("API_INSTANCES", "127.0.0.1:3001");
        Cli.Result r = Cli.run(env, "upgrade", "--no-backup");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("'127.0.0.1:3001' is not HOST:PORT/ADMIN_PORT"), r.err());
    }
}
