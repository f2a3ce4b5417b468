package com.aiphoto.core.credentials;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.crypto.CredentialCipher;
import com.aiphoto.core.crypto.CredentialKeys;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.DataSources;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.testing.TestDatabases;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** provider_credentials on MariaDB: encrypted at rest, bound to its row, and re-encrypted by a key rotation. */
class ProviderCredentialStoreTest {
    private static final String SECRET = "rh-live-key-0d1e2f3a4b5c6d7e";

    private static TestDatabases.Scratch db;
    private static HikariDataSource ds;
    private static Jdbc jdbc;

    private final String oldKey = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    private final String newKey = Base64.getEncoder().encodeToString(Secrets.randomBytes(32));
    private final CredentialCipher oldCipher = CredentialKeys.cipher("OLD", oldKey);
    private final CredentialCipher newCipher = CredentialKeys.cipher("NEW", newKey);
    private final ProviderCredentialStore store = new ProviderCredentialStore(Clock.systemUTC());

    @BeforeAll
    static void migrate() {
        db = TestDatabases.create("credentials");
        ds = DataSources.create(
                DatabaseSettings.from(Settings.of(db.settings())), "credentials-test", DataSources.Workload.REQUESTS);
        new Migrations(ds, Migrations.DEFAULT_LOCATION).migrate();
        jdbc = new Jdbc(ds, Duration.ofSeconds(5));
    }

    @AfterAll
    static void drop() {
        ds.close();
        db.close();
    }

    @BeforeEach
    void empty() {
        jdbc.update("DELETE FROM provider_credentials");
    }

    private ProviderCredentialStore.Stored put(String ref, String secret, CredentialCipher cipher) {
        return jdbc.inTransaction(h -> store.put(h, ref, "https://rh.example", Optional.of(secret), cipher));
    }

    private String rawColumn(String ref) {
        return jdbc.queryOne(
                        "SELECT ciphertext FROM provider_credentials WHERE provider_ref = ?",
                        r -> new String(r.getBytes(1), StandardCharsets.ISO_8859_1),
                        ref)
                .orElseThrow();
    }

    @Test
    void storedBytesAreNotThePlaintextAndDifferForEqualValues() {
        put("runninghub", SECRET, oldCipher);
        put("hunyuan", SECRET, oldCipher);
        String a = rawColumn("runninghub");
        String b = rawColumn("hunyuan");
        assertFalse(a.contains(SECRET) || b.contains(SECRET));
        assertFalse(a.contains(SECRET.substring(SECRET.length() - 8)));
        assertNotEquals(a, b);
        String before = a;
        put("runninghub", SECRET, oldCipher);
        assertNotEquals(before, rawColumn("runninghub"), "the same value again gets a fresh nonce");

        ProviderCredentialStore.Stored row = store.find(jdbc, "runninghub").orElseThrow();
        assertEquals(CredentialKeys.version("OLD", oldKey), row.keyVersion());
        ProviderCredentialStore.Plain plain = ProviderCredentialStore.decrypt(row, oldCipher);
        assertEquals(SECRET, plain.secret());
        assertEquals("https://rh.example", plain.endpointUrl());
        assertEquals("****6d7e", plain.masked());
        assertFalse(plain.toString().contains(SECRET), plain.toString());
        assertEquals("****", ProviderCredentialStore.mask("short"));
    }

    @Test
    void anEndpointChangeKeepsTheCredentials() {
        put("runninghub", SECRET, oldCipher);
        jdbc.inTransaction(h -> store.put(h, "runninghub", "https://other.example", Optional.empty(), oldCipher));
        ProviderCredentialStore.Plain p =
                ProviderCredentialStore.decrypt(store.find(jdbc, "runninghub").orElseThrow(), oldCipher);
        assertEquals(SECRET, p.secret());
        assertEquals("https://other.example", p.endpointUrl());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> jdbc.inTransaction(h -> store.put(h, "wechatpay", null, Optional.empty(), oldCipher)));
        assertTrue(e.getMessage().contains("required"), e.getMessage());
        assertTrue(store.find(jdbc, "wechatpay").isEmpty(), "nothing half-written");
    }

    @Test
    void tamperedSwappedOrWrongKeyFailClearly() {
        ProviderCredentialStore.Stored a = put("runninghub", SECRET, oldCipher);
        ProviderCredentialStore.Stored b = put("hunyuan", "another-secret-value-123", oldCipher);

        // one flipped byte of the sealed part
        byte[] raw = Base64.getDecoder()
                .decode(a.ciphertext().substring(a.ciphertext().indexOf(':') + 1));
        raw[raw.length - 3] ^= 0x20;
        String tampered = a.ciphertext().substring(0, a.ciphertext().indexOf(':') + 1)
                + Base64.getEncoder().encodeToString(raw);
        jdbc.update("UPDATE provider_credentials SET ciphertext = ? WHERE id = ?", tampered, a.id());
        CredentialException t = assertThrows(
                CredentialException.class,
                () -> ProviderCredentialStore.decrypt(
                        store.find(jdbc, "runninghub").orElseThrow(), oldCipher));
        assertTrue(
                t.getMessage().contains("'runninghub'") && t.getMessage().contains("fails authentication"),
                t.getMessage());
        assertFalse(t.getMessage().contains(SECRET));

        // hunyuan's ciphertext copied into runninghub's row: bound to the other row's id and ref
        jdbc.update("UPDATE provider_credentials SET ciphertext = ? WHERE id = ?", b.ciphertext(), a.id());
        assertThrows(
                CredentialException.class,
                () -> ProviderCredentialStore.decrypt(
                        store.find(jdbc, "runninghub").orElseThrow(), oldCipher));
        // and the untouched row under another key
        CredentialException wrong = assertThrows(
                CredentialException.class,
                () -> ProviderCredentialStore.decrypt(
                        store.find(jdbc, "hunyuan").orElseThrow(), newCipher));
        assertTrue(wrong.getMessage().contains("not configured"), wrong.getMessage());
        // a key with the same version prefix forged onto the value: still not the key that encrypted it
        CredentialCipher impostor = CredentialCipher.of(
                CredentialCipher.CREDENTIALS, CredentialKeys.version("OLD", oldKey), Secrets.randomBytes(32));
        assertThrows(
                CredentialException.class,
                () -> ProviderCredentialStore.decrypt(
                        store.find(jdbc, "hunyuan").orElseThrow(), impostor));
    }

    @Test
    void rotationReencryptsEverythingAndTheOldKeyIsNotNeededAfter() {
        put("runninghub", SECRET, oldCipher);
        put("hunyuan", "second-secret-value-xyz", oldCipher);
        CredentialCipher switching = CredentialKeys.accepting(newCipher, "OLD", oldKey);
        // a value written by an instance already switched, before the rotation ran
        put("wechatpay", "third-secret-value-abc", switching);

        // both versions decrypt during the switch: on a switched instance and on one not yet switched
        CredentialCipher notYetSwitched = CredentialKeys.accepting(oldCipher, "NEW", newKey);
        for (ProviderCredentialStore.Stored row : store.list(jdbc)) {
            ProviderCredentialStore.decrypt(row, switching);
            ProviderCredentialStore.decrypt(row, notYetSwitched);
        }

        ProviderCredentialStore.Rotation dry = jdbc.inTransaction(h -> store.rotate(h, switching, true));
        assertEquals(3, dry.total());
        assertEquals(2, dry.reencrypted());
        assertEquals(1, dry.alreadyCurrent());
        assertEquals(
                Map.of(CredentialKeys.version("OLD", oldKey), 2, CredentialKeys.version("NEW", newKey), 1),
                dry.byVersion());
        assertEquals(2, countUnder(oldCipher.currentVersion()), "a dry run writes nothing");

        ProviderCredentialStore.Rotation done = jdbc.inTransaction(h -> store.rotate(h, switching, false));
        assertEquals(2, done.reencrypted());
        assertEquals(0, countUnder(oldCipher.currentVersion()));
        // the new key alone reads everything
        List<String> secrets = store.list(jdbc).stream()
                .map(r -> ProviderCredentialStore.decrypt(r, newCipher).secret())
                .sorted()
                .toList();
        assertEquals(
                List.of(SECRET, "second-secret-value-xyz", "third-secret-value-abc").stream()
                        .sorted()
                        .toList(),
                secrets);
        // again: nothing left to do
        assertEquals(
                0, jdbc.inTransaction(h -> store.rotate(h, newCipher, false)).reencrypted());
    }

    @Test
    void aValueThatDoesNotDecryptStopsTheRotationWithNothingChanged() {
        put("runninghub", SECRET, oldCipher);
        ProviderCredentialStore.Stored b = put("hunyuan", "second-secret-value-xyz", oldCipher);
        jdbc.update(
                "UPDATE provider_credentials SET ciphertext = ? WHERE id = ?",
                oldCipher.encrypt("x", "provider_credentials:999:hunyuan"),
                b.id());
        String before = rawColumn("runninghub");
        CredentialCipher switching = CredentialKeys.accepting(newCipher, "OLD", oldKey);
        CredentialException e = assertThrows(
                CredentialException.class, () -> jdbc.inTransaction(h -> store.rotate(h, switching, false)));
        assertTrue(e.getMessage().contains("'hunyuan'"), e.getMessage());
        assertEquals(before, rawColumn("runninghub"), "rolled back as a whole");
    }

    @Test
    void keyVersionsComeFromTheKeys() {
        assertEquals(CredentialKeys.version("A", oldKey), CredentialKeys.version("A", oldKey));
        assertNotEquals(CredentialKeys.version("A", oldKey), CredentialKeys.version("B", newKey));
        assertTrue(CredentialKeys.version("A", oldKey) >= 1);
        assertTrue(CredentialKeys.from(Settings.of(Map.of())).isEmpty());
        CredentialCipher both = CredentialKeys.from(
                        Settings.of(Map.of(CredentialKeys.CURRENT, newKey, CredentialKeys.PREVIOUS, oldKey)))
                .orElseThrow();
        assertEquals(CredentialKeys.version("B", newKey), both.currentVersion());
        assertTrue(both.accepts(CredentialKeys.version("A", oldKey)));
        // the same key in both settings is harmless
        assertEquals(
                1,
                CredentialKeys.from(
                                Settings.of(Map.of(CredentialKeys.CURRENT, newKey, CredentialKeys.PREVIOUS, newKey)))
                        .map(c -> c.accepts(c.currentVersion()) ? 1 : 0)
                        .orElseThrow());
        IllegalArgumentException bad = assertThrows(
                IllegalArgumentException.class,
                () -> CredentialKeys.from(Settings.of(Map.of(CredentialKeys.CURRENT, "not-a-key"))));
        assertTrue(bad.getMessage().contains(CredentialKeys.CURRENT), bad.getMessage());
    }

    private int countUnder(int version) {
        return jdbc.queryOne(
                        "SELECT COUNT(*) FROM provider_credentials WHERE key_version = ?", r -> r.getInt(1), version)
                .orElseThrow();
    }
}
