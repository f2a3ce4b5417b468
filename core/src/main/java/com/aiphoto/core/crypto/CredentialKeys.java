package com.aiphoto.core.crypto;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.Settings;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Optional;

/**
 * The {@link CredentialCipher} of an installation, from its settings: {@code CREDENTIALS_ENCRYPTION_KEY} encrypts
 * and decrypts; {@code CREDENTIALS_PREVIOUS_ENCRYPTION_KEY}, when set, is accepted for decryption too (the other
 * key of a rotation in progress: the old one after the switch, or the new one before it).
 *
 * <p>A key's version is derived from the key itself (HKDF with its own label, 30 bits, never 0), not configured: the
 * stored prefix then names the key that encrypted a value whatever order the operator configures the two keys in,
 * and there is no version number to get wrong. Two different keys share a version with probability 2^-30; that is
 * refused when both are configured.
 */
public final class CredentialKeys {
    /** Key id label: a different HKDF output than the encryption key, so the version reveals nothing about it. */
    private static final String KEY_ID = "ai-photo credentials key id v1";

    public static final String CURRENT = "CREDENTIALS_ENCRYPTION_KEY";
    public static final String PREVIOUS = "CREDENTIALS_PREVIOUS_ENCRYPTION_KEY";

    private CredentialKeys() {}

    /** The version stored values encrypted under {@code key} (32 bytes) carry. */
    public static int version(byte[] key) {
        byte[] id = CredentialCipher.derive(key, KEY_ID);
        try {
            return (ByteBuffer.wrap(id).getInt() & 0x3fffffff) % 999_999_999 + 1;
        } finally {
            Arrays.fill(id, (byte) 0);
        }
    }

    /** The version of a configured key (base64 or hex); an {@link IllegalArgumentException} naming {@code name}. */
    public static int version(String name, String configuredKey) {
        byte[] key = decode(name, configuredKey);
        try {
            return version(key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** A cipher for credentials encrypting under {@code configuredKey}, as its derived version. */
    public static CredentialCipher cipher(String name, String configuredKey) {
        byte[] key = decode(name, configuredKey);
        try {
            return CredentialCipher.of(CredentialCipher.CREDENTIALS, version(key), key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /** {@code cipher} also accepting {@code configuredKey}; the same key twice changes nothing. */
    public static CredentialCipher accepting(CredentialCipher cipher, String name, String configuredKey) {
        byte[] key = decode(name, configuredKey);
        try {
            int version = version(key);
            if (cipher.accepts(version)) {
                return cipher;
            }
            return cipher.accepting(version, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The installation's cipher, or empty when {@code CREDENTIALS_ENCRYPTION_KEY} is not set (outside production:
     * credentials cannot be stored then). A malformed key is an {@link IllegalArgumentException} naming the setting.
     */
    public static Optional<CredentialCipher> from(Settings s) {
        Optional<String> current = s.find(CURRENT).filter(v -> !ConfigCheck.isPlaceholder(v));
        if (current.isEmpty()) {
            return Optional.empty();
        }
        CredentialCipher cipher = cipher(CURRENT, current.get());
        Optional<String> previous = s.find(PREVIOUS).filter(v -> !ConfigCheck.isPlaceholder(v));
        if (previous.isPresent()) {
            if (cipher.accepts(version(PREVIOUS, previous.get())) && !sameKey(current.get(), previous.get())) {
                throw new IllegalArgumentException(
                        CURRENT + " and " + PREVIOUS + " are different keys with the same version; generate another");
            }
            cipher = accepting(cipher, PREVIOUS, previous.get());
        }
        return Optional.of(cipher);
    }

    private static boolean sameKey(String a, String b) {
        byte[] x = decode(CURRENT, a);
        byte[] y = decode(PREVIOUS, b);
        try {
            return java.security.MessageDigest.isEqual(x, y);
        } finally {
            Arrays.fill(x, (byte) 0);
            Arrays.fill(y, (byte) 0);
        }
    }

    private static byte[] decode(String name, String configuredKey) {
        return ConfigCheck.decodeKey32(configuredKey)
                .orElseThrow(() -> new IllegalArgumentException(
                        name + " must decode to exactly 32 bytes (base64 or 64 hex digits)"));
    }
}
