package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.account.Role;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** The hand-written verifier against tokens the library issues and tokens signed with our key but malformed. */
class AccessTokensTest {
    private static final byte[] SECRET =
            "unit-test-secret-0123456789-abcdefghijklmnop".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    private final AccessTokens tokens = new AccessTokens(SECRET, Duration.ofHours(2), Clock.fixed(NOW, ZoneOffset.UTC));

    private static User user(long id, Role role) {
        return new User(id, "13800000000", null, null, null, null, role, null, 0, NOW);
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    /** header.payload signed with our secret: passes the MAC, so only the parsing can refuse it. */
    private static String signed(String header, String payload) throws Exception {
        String input = b64(header) + "." + b64(payload);
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        return input + "."
                + Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
    }

    private static String claims(String sub, Object exp) {
        return "{\"sub\":" + sub + ",\"role\":\"user\",\"iat\":" + NOW.getEpochSecond() + ",\"exp\":" + exp
                + ",\"jti\":\"j\"}";
    }

    @Test
    void anIssuedTokenVerifiesWithItsClaims() {
        String t = tokens.issue(user(42, Role.ADMIN));
        AccessTokens.Claims c = tokens.verify(t).orElseThrow();
        assertEquals(42, c.userId());
        assertEquals(Role.ADMIN, c.role());
        assertEquals(NOW.plus(Duration.ofHours(2)), c.expiresAt());
        assertEquals(32, c.jwtId().length());
    }

    @Test
    void ourOwnFormatSignedByHandVerifies() throws Exception {
        String exp = Long.toString(NOW.getEpochSecond() + 60);
        assertTrue(tokens.verify(signed(
                        "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":\"" + AccessTokens.KEY_ID + "\"}",
                        claims("\"7\"", exp)))
                .isPresent());
    }

    @Test
    void correctlyMacedButMalformedTokensAreRefused() throws Exception {
        String exp = Long.toString(NOW.getEpochSecond() + 60);
        String kid = ",\"kid\":\"" + AccessTokens.KEY_ID + "\"";
        String hs = "{\"alg\":\"HS256\"" + kid + "}";
        String[] bad = {
            signed("{\"alg\":\"none\"" + kid + "}", claims("\"7\"", exp)),
            signed("{\"alg\":\"HS512\"" + kid + "}", claims("\"7\"", exp)),
            signed("{\"typ\":\"JWT\"" + kid + "}", claims("\"7\"", exp)),
            signed("{\"alg\":\"HS256\",\"alg\":\"none\"" + kid + "}", claims("\"7\"", exp)),
            signed("{\"alg\":\"HS256\"}", claims("\"7\"", exp)), // no kid
            signed("{\"alg\":\"HS256\",\"kid\":\"other\"}", claims("\"7\"", exp)), // another key's id
            signed(
                    hs,
                    "{\"sub\":\"7\",\"role\":\"user\",\"iat\":1,\"nbf\":" + exp + ",\"exp\":" + exp + "}"), // not yet
            signed(hs, claims("7", exp)), // sub not a string
            signed(hs, claims("\"x\"", exp)), // sub not a number
            signed(hs, claims("\"7\"", "\"" + exp + "\"")), // exp not a number
            signed(hs, claims("\"7\"", Long.toString(NOW.getEpochSecond()))), // expires now
            signed(hs, "{\"sub\":\"7\",\"role\":\"user\",\"exp\":" + exp + "}"), // no iat
            signed(hs, "{\"sub\":\"7\",\"role\":\"root\",\"iat\":1,\"exp\":" + exp + "}"),
            signed(hs, "{\"sub\":\"7\",\"sub\":\"8\",\"role\":\"user\",\"iat\":1,\"exp\":" + exp + "}"),
            signed(hs, "[]"),
            signed(hs, "not json"),
        };
        for (String t : bad) {
            assertTrue(tokens.verify(t).isEmpty(), t);
        }
    }

    @Test
    void brokenShapesAreRefused() {
        String good = tokens.issue(user(1, Role.USER));
        String[] parts = good.split("\\.");
        String[] bad = {
            "",
            ".",
            "..",
            "a.b",
            "a.b.c.d",
            good + ".",
            parts[0] + ".." + parts[2],
            "." + parts[1] + "." + parts[2],
            parts[0] + "." + parts[1] + ".",
            parts[0] + "." + parts[1] + "." + parts[2] + "=",
            good.substring(0, good.length() - 1),
            parts[0] + "." + parts[1] + "." + parts[2].toUpperCase(Locale.ROOT)
        };
        for (String t : bad) {
            assertTrue(tokens.verify(t).isEmpty(), t);
        }
        AccessTokens other = new AccessTokens(
                "another-secret-0123456789-abcdefghijklmnop".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(2),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertTrue(other.verify(good).isEmpty(), "another key");
    }
}
