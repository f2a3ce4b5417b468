package com.aiphoto.core.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Random tokens, hashes, HMACs and constant-time comparison: every place a secret is made or compared, in the
 * server and in opsctl, goes through here.
 */
public final class Secrets {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Secrets() {}

    /** {@code bytes} random bytes, URL-safe base64 without padding. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** A uniformly random decimal string of {@code digits} digits. */
    public static String randomDigits(int digits) {
        StringBuilder sb = new StringBuilder(digits);
        for (int i = 0; i < digits; i++) {
            sb.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return sb.toString();
    }

    public static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    public static String sha256Hex(String value) {
        return HexFormat.of().formatHex(sha256().digest(value.getBytes(StandardCharsets.UTF_8)));
    }

    /** A fresh SHA-256 digest, for hashing streams (backups, uploads) as they pass. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    public static byte[] hmacSha256(byte[] key, byte[] data) {
        return keyedHmacSha256(key).doFinal(data);
    }

    private static Mac keyedHmacSha256(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * HMAC-SHA256 under one key, for hot paths: a keyed prototype cloned per use. {@code Mac.getInstance} looks
     * the algorithm up in the provider list and {@code init} re-keys on every call, which showed in the profile
     * of every signed file URL; a clone copies the keyed state.
     */
    public static final class HmacSha256 {
        private final Mac prototype;
        private final byte[] key;

        public HmacSha256(byte[] key) {
            this.key = key.clone();
            this.prototype = keyedHmacSha256(this.key);
        }

        public byte[] mac(byte[] data) {
            Mac m;
            try {
                m = (Mac) prototype.clone();
            } catch (CloneNotSupportedException e) {
                m = keyedHmacSha256(key); // a provider whose Mac cannot be cloned: the slow way
            }
            return m.doFinal(data);
        }

        public String hex(String data) {
            return HexFormat.of().formatHex(mac(data.getBytes(StandardCharsets.UTF_8)));
        }
    }

    public static String hmacSha256Hex(byte[] key, String data) {
        return HexFormat.of().formatHex(hmacSha256(key, data.getBytes(StandardCharsets.UTF_8)));
    }

    /** Compares without leaking, through timing, how much of the secret matched. Null never equals anything. */
    public static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
