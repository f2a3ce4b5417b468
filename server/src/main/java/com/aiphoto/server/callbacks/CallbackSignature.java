package com.aiphoto.server.callbacks;

import com.aiphoto.core.crypto.Secrets;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The signature of an internal worker callback: {@code X-Timestamp} (unix seconds) and
 * {@code X-Internal-Signature} = hex HMAC-SHA256({@code INTERNAL_CALLBACK_SECRET}, {@code "<timestamp>\n<raw
 * body>"}), where the timestamp is the header's text exactly. Workers sign with {@link #sign}.
 */
public final class CallbackSignature {
    public static final String TIMESTAMP_HEADER = "X-Timestamp";
    public static final String SIGNATURE_HEADER = "X-Internal-Signature";
    /** How far a callback's timestamp may be from our clock, either way. */
    public static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private CallbackSignature() {}

    /** The lowercase hex signature of {@code body} sent at {@code timestamp} (unix seconds). */
    public static String sign(byte[] secret, String timestamp, byte[] body) {
        return HexFormat.of().formatHex(Secrets.hmacSha256(secret, signed(timestamp, body)));
    }

    /**
     * Whether {@code signatureHex} (any case) is the signature of {@code body} at {@code timestamp}; the
     * comparison takes the same time however much of it matches.
     */
    static boolean matches(byte[] secret, String timestamp, byte[] body, String signatureHex) {
        byte[] expected = sign(secret, timestamp, body).getBytes(StandardCharsets.US_ASCII);
        byte[] given = signatureHex.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, given);
    }

    private static byte[] signed(String timestamp, byte[] body) {
        byte[] head = (timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }
}
