package com.aiphoto.opsctl.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.credentials.CredentialException;
import com.aiphoto.core.credentials.ProviderCredentialStore;
import com.aiphoto.core.crypto.CredentialCipher;
import com.aiphoto.core.crypto.CredentialKeys;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.testing.TestDatabases;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** secrets rotate-key on MariaDB: everything re-encrypted in one transaction, audited, and the old key not needed after. */
class SecretsRotateKeyCommandTest {
    private static final Map<String, String> SECRETS = Map.of(
            "runninghub", "rh-secret-value-0000-aaaa",
            "wechatpay", "wx-secret-value-1111-bbbb",
            "hunyuan", "hy-secret-value-2222-cccc");

    private final String oldKey = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    private final String newKey = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    private final CredentialCipher oldCipher = CredentialKeys.cipher("OLD", oldKey);
    private final CredentialCipher newOnly = CredentialKeys.cipher("NEW", newKey);
    private final ProviderCredentialStore store = new ProviderCredentialStore(Clock.systemUTC());

    private TestDatabases.Scratch db;
    private Map<String, String> base;
    private Jdbc jdbc;

    @BeforeEach
    void database() {
        db = TestDatabases.create("rotate");
        base = db.settings();
        assertEquals(ExitCode.OK, Cli.run(base, "db", "migrate").code());
        jdbc = new Jdbc(db.dataSource(), Duration.ofSeconds(5));
        SECRETS.forEach(
                (ref, secret) -> jdbc.inTransaction(h -> store.put(h, ref, null, Optional.of(secret), oldCipher)));
    }

    @AfterEach
    void drop() {
        db.close();
    }

    /** The switched configuration: the new key current, the old one accepted. */
    private Map<String, String> switched() {
        Map<String, String> env = new HashMap<>(base);
        env.put(CredentialKeys.CURRENT, newKey);
        env.put(CredentialKeys.PREVIOUS, oldKey);
        return env;
    }

    private int under(CredentialCipher c) {
        return jdbc.queryOne(
                        "SELECT COUNT(*) FROM provider_credentials WHERE key_version = ?",
                        r -> r.getInt(1),
                        c.currentVersion())
                .orElseThrow();
    }

    private int auditRows() {
        return jdbc.queryOne("SELECT COUNT(*) FROM audit_logs WHERE action = 'secrets.rotate_key'", r -> r.getInt(1))
                .orElseThrow();
    }

    private void assertNoKeyOrSecretIn(Cli.Result r) {
        for (String s : List.of(oldKey, newKey, SECRETS.get("runninghub"), SECRETS.get("hunyuan"))) {
            assertFalse(r.all().contains(s), r.all());
        }
    }

    @Test
    void rotationReencryptsEverythingAndTheOldKeyIsNotNeededAfter() {
        Cli.Result dry = Cli.run(
                switched(), "secrets", "rotate-key", "--new-key-env", CredentialKeys.CURRENT, "--dry-run", "--json");
        assertEquals(ExitCode.OK, dry.code(), dry.all());
        Map<?, ?> counted = Cli.json(dry.out());
        assertEquals(3, counted.get("total"));
        assertEquals(3, counted.get("reencrypted"));
        assertEquals(true, counted.get("dryRun"));
        assertEquals(3, under(oldCipher), "a dry run writes nothing");
        assertEquals(0, auditRows());

        Cli.Result done = Cli.run(switched(), "secrets", "rotate-key", "--new-key-env", CredentialKeys.CURRENT);
        assertEquals(ExitCode.OK, done.code(), done.all());
        assertTrue(done.out().contains("re-encrypted 3 of 3"), done.out());
        assertNoKeyOrSecretIn(done);
        assertEquals(3, under(newOnly));
        // the new key alone decrypts every value
        for (ProviderCredentialStore.Stored row : store.list(jdbc)) {
            assertEquals(
                    SECRETS.get(row.ref()),
                    ProviderCredentialStore.decrypt(row, newOnly).secret());
            assertThrows(CredentialException.class, () -> ProviderCredentialStore.decrypt(row, oldCipher));
        }
        assertEquals(1, auditRows());
        String details = jdbc.queryOne(
                        "SELECT details FROM audit_logs WHERE action = 'secrets.rotate_key'", r -> r.getString(1))
                .orElseThrow();
        assertTrue(details.contains("\"reencrypted\":3"), details);
        for (String s : List.of(oldKey, newKey, SECRETS.get("wechatpay"))) {
            assertFalse(details.contains(s), details);
        }

        // again: nothing left to do, still fine; and without the old key now
        Map<String, String> newOnlyEnv = new HashMap<>(base);
        newOnlyEnv.put(CredentialKeys.CURRENT, newKey);
        Map<?, ?> again =
                Cli.json(Cli.run(newOnlyEnv, "secrets", "rotate-key", "--new-key-env", CredentialKeys.CURRENT, "--json")
                        .out());
        assertEquals(0, again.get("reencrypted"));
        assertEquals(3, again.get("alreadyCurrent"));
    }

    @Test
    void theNewKeyMayBeAcceptedFirstAndTheSwitchComeAfter() {
        // servers accept the new key as the previous one before switching: rotating to it is allowed
        Map<String, String> env = new HashMap<>(base);
        env.put(CredentialKeys.CURRENT, oldKey);
        env.put(CredentialKeys.PREVIOUS, newKey);
        env.put("NEW_CREDENTIALS_KEY", newKey);
        Cli.Result r = Cli.run(env, "secrets", "rotate-key", "--new-key-env", "NEW_CREDENTIALS_KEY");
        assertEquals(ExitCode.OK, r.code(), r.all());
        assertEquals(3, under(newOnly));
    }

    @Test
    void aKeyTheServersDoNotKnowIsRefused() {
        Map<String, String> env = new HashMap<>(base);
        env.put(CredentialKeys.CURRENT, oldKey);
        env.put("NEW_CREDENTIALS_KEY", newKey);
        Cli.Result r = Cli.run(env, "secrets", "rotate-key", "--new-key-env", "NEW_CREDENTIALS_KEY");
        assertEquals(ExitCode.PRECONDITION, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("servers could not read"), r.err());
        assertNoKeyOrSecretIn(r);
        assertEquals(3, under(oldCipher));
        // a dry run only warns
        Cli.Result dry = Cli.run(env, "secrets", "rotate-key", "--new-key-env", "NEW_CREDENTIALS_KEY", "--dry-run");
        assertEquals(ExitCode.OK, dry.code(), dry.all());
        assertTrue(dry.err().contains("warning"), dry.err());

        Cli.Result unset = Cli.run(env, "secrets", "rotate-key", "--new-key-env", "NO_SUCH_KEY");
        assertEquals(ExitCode.PRECONDITION, unset.code(), unset.all());
        env.put("NEW_CREDENTIALS_KEY", "short");
        Cli.Result bad = Cli.run(env, "secrets", "rotate-key", "--new-key-env", "NEW_CREDENTIALS_KEY");
        assertEquals(ExitCode.PRECONDITION, bad.code(), bad.all());
        assertTrue(bad.err().contains("32 bytes"), bad.err());
        assertEquals(ExitCode.USAGE, Cli.run(env, "secrets", "rotate-key").code());
    }

    @Test
    void aValueThatDoesNotDecryptStopsItWithNothingChanged() {
        long id = store.find(jdbc, "hunyuan").orElseThrow().id();
        // another row's value copied in: bound to the other row, it does not verify here
        String other = store.find(jdbc, "runninghub").orElseThrow().ciphertext();
        jdbc.update("UPDATE provider_credentials SET ciphertext = ? WHERE id = ?", other, id);
        Cli.Result r = Cli.run(switched(), "secrets", "rotate-key", "--new-key-env", CredentialKeys.CURRENT);
        assertEquals(ExitCode.FAILED, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("'hunyuan'") && r.err().contains("nothing changed"), r.err());
        assertNoKeyOrSecretIn(r);
        assertEquals(3, under(oldCipher), "one transaction: no value was re-encrypted");
        assertEquals(0, auditRows());
    }
}
