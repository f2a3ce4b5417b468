package com.aiphoto.core.crypto;

import com.aiphoto.core.config.ConfigCheck;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/**
 * Encrypts secrets at rest (provider credentials, secret settings): AES-256-GCM through the JDK's {@link Cipher},
 * under a key derived from {@code CREDENTIALS_ENCRYPTION_KEY} with HKDF-SHA256 and a purpose label (so one
 * configured key never serves two purposes as the same AES key), a fresh random 96-bit nonce per value, and
 * associated data the caller supplies (a row's id and provider ref: a value copied to another row fails).
 *
 * <p>Stored form: {@code v<version>:<base64(nonce || ciphertext || tag)>}. The version says which key encrypted
 * it, so during a key rotation a cipher holding the new key and the old one decrypts both while
 * {@link #encrypt} always uses the current key. The version is bound into the associated data too: editing the
 * prefix breaks the tag rather than selecting another key silently.
 */
public final class CredentialCipher {
    /** The purpose label of provider credentials and secret settings. */
    public static final String CREDENTIALS = "ai-photo credentials at rest v1";

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final Pattern STORED = Pattern.compile("^v([0-9]{1,9}):([A-Za-z0-9+/]+={0,2})$");

    private final int currentVersion;
    private final Map<Integer, SecretKeySpec> keys;
    private final String purpose;

    private CredentialCipher(String purpose, int currentVersion, Map<Integer, SecretKeySpec> keys) {
        this.purpose = purpose;
        this.currentVersion = currentVersion;
        this.keys = keys;
    }

    /** A cipher that encrypts and decrypts under {@code key} (32 bytes, as configured) as version {@code version}. */
    public static CredentialCipher of(String purpose, int version, byte[] key) {
        Map<Integer, SecretKeySpec> keys = new TreeMap<>();
        keys.put(checkVersion(version), aesKey(key, purpose));
        return new CredentialCipher(purpose, version, keys);
    }

    /** {@link #of} with the key as configured (CREDENTIALS_ENCRYPTION_KEY: base64 or 64 hex digits). */
    public static CredentialCipher of(String purpose, int version, String configuredKey) {
        byte[] key = ConfigCheck.decodeKey32(configuredKey)
                .orElseThrow(() -> new IllegalArgumentException(
                        "the encryption key must decode to exactly 32 bytes (base64 or 64 hex digits)"));
        try {
            return of(purpose, version, key);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * This cipher, also accepting values under an older (or, on an instance not yet switched, newer) key: what
     * every instance holds while a rotation is under way. Encryption keeps using the current key.
     */
    public CredentialCipher accepting(int version, byte[] key) {
        if (version == currentVersion || keys.containsKey(version)) {
            throw new IllegalArgumentException("key version " + version + " is already configured");
        }
        Map<Integer, SecretKeySpec> more = new TreeMap<>(keys);
        more.put(checkVersion(version), aesKey(key, purpose));
        return new CredentialCipher(purpose, currentVersion, more);
    }

    public int currentVersion() {
        return currentVersion;
    }

    /** Whether values under key {@code version} decrypt here. */
    public boolean accepts(int version) {
        return keys.containsKey(version);
    }

    /** The key version a stored value names (without decrypting it). */
    public static int versionOf(String stored) {
        return Integer.parseInt(parse(stored).group(1));
    }

    /** {@code plaintext} under the current key, bound to {@code associatedData}, in the stored form. */
    public String encrypt(String plaintext, String associatedData) {
        byte[] nonce = Secrets.randomBytes(NONCE_BYTES);
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.ENCRYPT_MODE, keys.get(currentVersion), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(aad(currentVersion, associatedData));
            byte[] sealed = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = ByteBuffer.allocate(nonce.length + sealed.length)
                    .put(nonce)
                    .put(sealed)
                    .array();
            return "v" + currentVersion + ":" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new CipherException("cannot encrypt: " + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * The plaintext of {@code stored}, which must have been encrypted with the same {@code associatedData}; a
     * {@link CipherException} when it is malformed, names a key version this cipher lacks, or fails
     * authentication (tampered, another row's value, or another key). Nothing is returned unless it verifies.
     */
    public String decrypt(String stored, String associatedData) {
        Matcher m = parse(stored);
        int version = Integer.parseInt(m.group(1));
        SecretKeySpec key = keys.get(version);
        if (key == null) {
            throw new CipherException("value is encrypted under key version " + version + ", which is not configured"
                    + " (configured: " + keys.keySet() + ")");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw new CipherException("stored value is not valid base64");
        }
        if (raw.length < NONCE_BYTES + TAG_BITS / 8) {
            throw new CipherException("stored value is truncated");
        }
        try {
            Cipher c = Cipher.getInstance(TRANSFORMATION);
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, raw, 0, NONCE_BYTES));
            c.updateAAD(aad(version, associatedData));
            return new String(c.doFinal(raw, NONCE_BYTES, raw.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (AEADBadTagException e) {
            throw new CipherException(
                    "stored value fails authentication under key version " + version
                            + ": tampered, encrypted for another record, or under another key",
                    e);
        } catch (GeneralSecurityException e) {
            throw new CipherException("cannot decrypt: " + e.getClass().getSimpleName(), e);
        }
    }

    /** HKDF-SHA256 (RFC 5869) without salt: 32 bytes of key for {@code purpose} from the configured key. */
    static byte[] derive(byte[] inputKey, String purpose) {
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(inputKey, null, purpose.getBytes(StandardCharsets.UTF_8)));
        byte[] out = new byte[32];
        hkdf.generateBytes(out, 0, out.length);
        return out;
    }

    private static SecretKeySpec aesKey(byte[] configured, String purpose) {
        if (configured.length != 32) {
            throw new IllegalArgumentException("the encryption key must be 32 bytes, got " + configured.length);
        }
        byte[] derived = derive(configured, purpose);
        try {
            return new SecretKeySpec(derived, "AES");
        } finally {
            Arrays.fill(derived, (byte) 0); // SecretKeySpec keeps its own copy
        }
    }

    private static byte[] aad(int version, String associatedData) {
        return ("v" + version + "\u0000" + associatedData).getBytes(StandardCharsets.UTF_8);
    }

    private static Matcher parse(String stored) {
        Matcher m = STORED.matcher(stored == null ? "" : stored);
        if (!m.matches()) {
            throw new CipherException("stored value is not in the form v<version>:<base64>");
        }
        return m;
    }

    private static int checkVersion(int version) {
        if (version < 1) {
            throw new IllegalArgumentException("key versions start at 1, got " + version);
        }
        return version;
    }
}
