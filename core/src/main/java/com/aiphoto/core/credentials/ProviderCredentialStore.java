package com.aiphoto.core.credentials;

import com.aiphoto.core.crypto.CipherException;
import com.aiphoto.core.crypto.CredentialCipher;
import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code provider_credentials} table: one encrypted secret per provider (RunningHub's API key, ...), written by
 * the admin API and re-encrypted by {@code opsctl secrets rotate-key}. Values are encrypted with the caller's
 * {@link CredentialCipher} bound to the row's id and provider ref ({@link #associatedData}), so a ciphertext
 * copied into another row fails to decrypt. Plaintext exists only in {@link Plain}, whose string form masks it.
 */
public final class ProviderCredentialStore {
    private static final String COLUMNS =
            "id, provider_ref, endpoint_url, ciphertext, key_version, created_at, updated_at";

    /** A row as stored: nothing secret in the clear. */
    public record Stored(
            long id,
            String ref,
            String endpointUrl,
            String ciphertext,
            int keyVersion,
            Instant createdAt,
            Instant updatedAt) {}

    /** A decrypted row. */
    public record Plain(String ref, String endpointUrl, String secret, int keyVersion, Instant updatedAt) {
        /** What reads show: {@code "****"} and the last 4 characters (none for a short value, which 4 would half reveal). */
        public String masked() {
            return mask(secret);
        }

        @Override
        public String toString() {
            return "Plain[ref=" + ref + ", endpointUrl=" + endpointUrl + ", secret=" + masked() + ", keyVersion="
                    + keyVersion + "]";
        }
    }

    /** What a rotation did (or, dry, would do): per key version before it, how many values. */
    public record Rotation(
            int total, int reencrypted, int alreadyCurrent, int newKeyVersion, TreeMap<Integer, Integer> byVersion) {}

    private final Clock clock;

    public ProviderCredentialStore(Clock clock) {
        this.clock = clock;
    }

    /** {@code "****"} + the last 4 characters, only {@code "****"} for values under 12 characters. */
    public static String mask(String secret) {
        return secret == null || secret.length() < 12 ? "****" : "****" + secret.substring(secret.length() - 4);
    }

    /** The associated data a row's value is bound to. */
    public static String associatedData(long id, String ref) {
        return "provider_credentials:" + id + ":" + ref;
    }

    /** Every row, by provider ref. */
    public List<Stored> list(Jdbc jdbc) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM provider_credentials ORDER BY provider_ref", ProviderCredentialStore::map);
    }

    public Optional<Stored> find(Jdbc jdbc, String ref) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM provider_credentials WHERE provider_ref = ?",
                ProviderCredentialStore::map,
                ref);
    }

    /**
     * The row's plaintext; a {@link CipherException} naming the provider (never a value) when it does not verify:
     * tampered, another row's ciphertext, or a key this cipher does not hold.
     */
    public static Plain decrypt(Stored row, CredentialCipher cipher) {
        try {
            String secret = cipher.decrypt(row.ciphertext(), associatedData(row.id(), row.ref()));
            return new Plain(row.ref(), row.endpointUrl(), secret, row.keyVersion(), row.updatedAt());
        } catch (CipherException e) {
            throw new CredentialException(
                    "stored credentials of provider '" + row.ref() + "' cannot be decrypted: " + e.getMessage(), e);
        }
    }

    /**
     * Sets a provider's endpoint and, when {@code secret} is present, its credentials, in the caller's transaction
     * under the row's lock. A new row needs a secret. Returns the row as now stored.
     */
    public Stored put(Jdbc.Handle h, String ref, String endpointUrl, Optional<String> secret, CredentialCipher cipher) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Optional<Stored> existing = lock(h, ref);
        long id;
        if (existing.isEmpty()) {
            if (secret.isEmpty()) {
                throw new IllegalArgumentException("provider '" + ref + "' has no credentials yet: they are required");
            }
            try {
                // the ciphertext is bound to the id, known only after the insert: a placeholder first, same transaction
                id = h.insert(
                        "INSERT INTO provider_credentials (provider_ref, endpoint_url, ciphertext, key_version,"
                                + " created_at, updated_at) VALUES (?, ?, '', 0, ?, ?)",
                        ref,
                        endpointUrl,
                        now,
                        now);
            } catch (DataAccessException e) {
                if (!SqlErrors.isDuplicateKey(e)) {
                    throw e;
                }
                // another admin created it meanwhile: update theirs
                id = lock(h, ref).orElseThrow(() -> e).id();
            }
        } else {
            id = existing.get().id();
        }
        if (secret.isPresent()) {
            String stored = cipher.encrypt(secret.get(), associatedData(id, ref));
            h.update(
                    "UPDATE provider_credentials SET endpoint_url = ?, ciphertext = ?, key_version = ?, updated_at = ?"
                            + " WHERE id = ?",
                    endpointUrl,
                    stored,
                    CredentialCipher.versionOf(stored),
                    now,
                    id);
        } else {
            h.update(
                    "UPDATE provider_credentials SET endpoint_url = ?, updated_at = ? WHERE id = ?",
                    endpointUrl,
                    now,
                    id);
        }
        return lock(h, ref).orElseThrow();
    }

    /**
     * Re-encrypts every value not under {@code cipher}'s current key, in the caller's transaction, every row locked
     * first. {@code cipher} must accept the old keys. Any value that does not decrypt stops it with a
     * {@link CredentialException} naming the provider, before anything is written (the caller rolls back). A dry
     * run decrypts everything too (so it proves the rotation would succeed) and writes nothing.
     */
    public Rotation rotate(Jdbc.Handle h, CredentialCipher cipher, boolean dryRun) {
        List<Stored> rows = h.query(
                "SELECT " + COLUMNS + " FROM provider_credentials ORDER BY id FOR UPDATE",
                ProviderCredentialStore::map);
        TreeMap<Integer, Integer> byVersion = new TreeMap<>();
        List<Stored> stale = new java.util.ArrayList<>();
        List<String> plain = new java.util.ArrayList<>();
        for (Stored row : rows) {
            int version = CredentialCipher.versionOf(row.ciphertext());
            byVersion.merge(version, 1, Integer::sum);
            String secret = decrypt(row, cipher).secret(); // every value, current ones too: all must verify
            if (version != cipher.currentVersion()) {
                stale.add(row);
                plain.add(secret);
            }
        }
        if (!dryRun) {
            Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            for (int i = 0; i < stale.size(); i++) {
                Stored row = stale.get(i);
                String stored = cipher.encrypt(plain.get(i), associatedData(row.id(), row.ref()));
                h.update(
                        "UPDATE provider_credentials SET ciphertext = ?, key_version = ?, updated_at = ? WHERE id = ?",
                        stored,
                        cipher.currentVersion(),
                        now,
                        row.id());
            }
        }
        plain.clear();
        return new Rotation(rows.size(), stale.size(), rows.size() - stale.size(), cipher.currentVersion(), byVersion);
    }

    private static Optional<Stored> lock(Jdbc.Handle h, String ref) {
        return h.queryOne(
                "SELECT " + COLUMNS + " FROM provider_credentials WHERE provider_ref = ? FOR UPDATE",
                ProviderCredentialStore::map,
                ref);
    }

    private static Stored map(ResultSet r) throws SQLException {
        return new Stored(
                r.getLong("id"),
                r.getString("provider_ref"),
                r.getString("endpoint_url"),
                r.getString("ciphertext"),
                r.getInt("key_version"),
                Jdbc.instant(r, "created_at"),
                Jdbc.instant(r, "updated_at"));
    }
}
