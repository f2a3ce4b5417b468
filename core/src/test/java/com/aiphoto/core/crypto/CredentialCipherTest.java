package com.aiphoto.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {
    private static final String PLAINTEXT = "rh-api-key-4f9c2a7e1b";
    private static final String AAD = "provider_credentials:17:runninghub";
    private final byte[] key1 = Secrets.randomBytes(32);
    private final byte[] key2 = Secrets.randomBytes(32);
    private final CredentialCipher v1 = CredentialCipher.of(CredentialCipher.CREDENTIALS, 1, key1);

    @Test
    void ciphertextIsNotThePlaintextAndDiffersForEqualValues() {
        String a = v1.encrypt(PLAINTEXT, AAD);
        String b = v1.encrypt(PLAINTEXT, AAD);
        assertNotEquals(a, b, "a fresh nonce per value");
        for (String stored : new String[] {a, b}) {
            assertTrue(stored.startsWith("v1:"), stored);
            assertFalse(stored.contains(PLAINTEXT));
            byte[] raw = Base64.getDecoder().decode(stored.substring(3));
            assertFalse(new String(raw, StandardCharsets.ISO_8859_1).contains(PLAINTEXT));
            assertEquals(12 + PLAINTEXT.length() + 16, raw.length, "nonce, ciphertext, tag");
        }
        assertNotEquals(
                Arrays.toString(Arrays.copyOf(Base64.getDecoder().decode(a.substring(3)), 12)),
                Arrays.toString(Arrays.copyOf(Base64.getDecoder().decode(b.substring(3)), 12)));
        assertEquals(PLAINTEXT, v1.decrypt(a, AAD));
        assertEquals(PLAINTEXT, v1.decrypt(b, AAD));
        assertEquals("", v1.decrypt(v1.encrypt("", AAD), AAD));
        assertEquals("密钥✓", v1.decrypt(v1.encrypt("密钥✓", AAD), AAD));
    }

    @Test
    void everyTamperedByteFails() {
        String stored = v1.encrypt(PLAINTEXT, AAD);
        byte[] raw = Base64.getDecoder().decode(stored.substring(3));
        for (int i = 0; i < raw.length; i++) {
            byte[] t = raw.clone();
            t[i] ^= 0x01;
            String tampered = "v1:" + Base64.getEncoder().encodeToString(t);
            CipherException e = assertThrows(CipherException.class, () -> v1.decrypt(tampered, AAD), "byte " + i);
            assertTrue(e.getMessage().contains("fails authentication"), e.getMessage());
            assertClean(e);
        }
        String cut = "v1:" + Base64.getEncoder().encodeToString(Arrays.copyOf(raw, raw.length - 1));
        assertClean(assertThrows(CipherException.class, () -> v1.decrypt(cut, AAD)));
        assertClean(assertThrows(CipherException.class, () -> v1.decrypt("v1:AAAA", AAD)));
        assertClean(assertThrows(CipherException.class, () -> v1.decrypt(PLAINTEXT, AAD)));
        assertClean(assertThrows(CipherException.class, () -> v1.decrypt("v1:A", AAD)));
    }

    @Test
    void wrongAssociatedDataFails() {
        String stored = v1.encrypt(PLAINTEXT, AAD);
        CipherException e =
                assertThrows(CipherException.class, () -> v1.decrypt(stored, "provider_credentials:18:runninghub"));
        assertTrue(e.getMessage().contains("encrypted for another record"), e.getMessage());
        assertClean(e);
    }

    @Test
    void wrongKeyFails() {
        String stored = v1.encrypt(PLAINTEXT, AAD);
        CredentialCipher other = CredentialCipher.of(CredentialCipher.CREDENTIALS, 1, key2);
        assertClean(assertThrows(CipherException.class, () -> other.decrypt(stored, AAD)));
        // the same configured key for another purpose is another AES key
        CredentialCipher otherPurpose = CredentialCipher.of("something else", 1, key1);
        assertClean(assertThrows(CipherException.class, () -> otherPurpose.decrypt(stored, AAD)));
        // the raw configured key is not the AES key: HKDF stands between them
        assertFalse(Arrays.equals(key1, CredentialCipher.derive(key1, CredentialCipher.CREDENTIALS)));
    }

    @Test
    void bothKeyVersionsDecryptDuringARotationAndTheOldOneIsNotNeededAfter() {
        String old = v1.encrypt(PLAINTEXT, AAD);
        CredentialCipher switching =
                CredentialCipher.of(CredentialCipher.CREDENTIALS, 2, key2).accepting(1, key1);
        String fresh = switching.encrypt(PLAINTEXT, AAD);
        assertTrue(fresh.startsWith("v2:"), fresh);
        assertEquals(1, CredentialCipher.versionOf(old));
        assertEquals(2, CredentialCipher.versionOf(fresh));
        assertEquals(PLAINTEXT, switching.decrypt(old, AAD));
        assertEquals(PLAINTEXT, switching.decrypt(fresh, AAD));
        // an instance not yet switched reads what a switched one wrote
        CredentialCipher notYet = v1.accepting(2, key2);
        assertEquals(PLAINTEXT, notYet.decrypt(fresh, AAD));

        CredentialCipher after = CredentialCipher.of(CredentialCipher.CREDENTIALS, 2, key2);
        assertEquals(PLAINTEXT, after.decrypt(switching.encrypt(PLAINTEXT, AAD), AAD));
        CipherException e = assertThrows(CipherException.class, () -> after.decrypt(old, AAD));
        assertTrue(e.getMessage().contains("key version 1, which is not configured"), e.getMessage());
        assertClean(e);

        // the version prefix is authenticated: relabelling a v1 value as v2 does not get it past the v2 key
        String relabelled = "v2:" + old.substring(3);
        assertClean(assertThrows(CipherException.class, () -> switching.decrypt(relabelled, AAD)));
        assertThrows(IllegalArgumentException.class, () -> switching.accepting(1, key1));
    }

    /** RFC 5869 test case 3 (no salt, no info): the first 32 bytes of its OKM. */
    @Test
    void hkdfIsRfc5869() {
        byte[] ikm = new byte[22];
        Arrays.fill(ikm, (byte) 0x0b);
        assertEquals(
                "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d",
                HexFormat.of().formatHex(CredentialCipher.derive(ikm, "")));
    }

    @Test
    void keysMustBe32Bytes() {
        assertThrows(
                IllegalArgumentException.class,
                () -> CredentialCipher.of(CredentialCipher.CREDENTIALS, 1, new byte[16]));
        assertThrows(IllegalArgumentException.class, () -> CredentialCipher.of(CredentialCipher.CREDENTIALS, 0, key1));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> CredentialCipher.of(CredentialCipher.CREDENTIALS, 1, "short"));
        assertFalse(e.getMessage().contains("short"), e.getMessage());
        // base64 and hex of the same key are the same cipher
        String stored = CredentialCipher.of(
                        CredentialCipher.CREDENTIALS, 1, Base64.getEncoder().encodeToString(key1))
                .encrypt(PLAINTEXT, AAD);
        assertEquals(
                PLAINTEXT,
                CredentialCipher.of(
                                CredentialCipher.CREDENTIALS, 1, HexFormat.of().formatHex(key1))
                        .decrypt(stored, AAD));
    }

    /** No exception in the chain names the plaintext or either key. */
    private void assertClean(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            assertFalse(m.contains(PLAINTEXT), m);
            for (byte[] k : new byte[][] {key1, key2}) {
                assertFalse(m.contains(Base64.getEncoder().encodeToString(k)), m);
                assertFalse(m.contains(HexFormat.of().formatHex(k)), m);
            }
        }
    }
}
