package com.aiphoto.core.storage;

import com.aiphoto.core.crypto.Secrets;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The signatures of the local storage's {@code /files/<key>} URLs: hex HMAC-SHA256 over the method, the key, the
 * expiry (unix seconds), the content type and the length limit, one per line. A GET signs an empty type and a
 * limit of 0. Whoever holds a URL can do exactly what it says until it expires, nothing else.
 */
public final class FileSignatures {
    /** What a signed URL allows. */
    public record Grant(String method, String key, long expires, String contentType, long maxLength) {}

    private final Secrets.HmacSha256 hmac;
    private final Clock clock;

    public FileSignatures(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("the file URL key needs at least 32 bytes");
        }
        this.hmac = new Secrets.HmacSha256(secret);
        this.clock = clock;
    }

    public String sign(Grant g) {
        return hmac.hex(
                g.method() + "\n" + g.key() + "\n" + g.expires() + "\n" + g.contentType() + "\n" + g.maxLength());
    }

    /** Why {@code signature} does not allow {@code g} now, or empty when it does (constant-time compare). */
    public Optional<String> problem(Grant g, String signature) {
        if (signature == null || !Secrets.constantTimeEquals(sign(g), signature)) {
            return Optional.of("bad signature");
        }
        if (clock.instant().isAfter(Instant.ofEpochSecond(g.expires()))) {
            return Optional.of("expired");
        }
        return Optional.empty();
    }

    public Clock clock() {
        return clock;
    }
}
