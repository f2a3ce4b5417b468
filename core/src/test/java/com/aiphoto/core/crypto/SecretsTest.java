package com.aiphoto.core.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class SecretsTest {
    @Test
    void hashesMatchPublishedVectors() {
        // FIPS 180-2 "abc"; RFC 4231 test case 2
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Secrets.sha256Hex("abc"));
        assertEquals(
                "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                Secrets.hmacSha256Hex("Jefe".getBytes(StandardCharsets.UTF_8), "what do ya want for nothing?"));
        assertEquals(
                Secrets.sha256Hex("abc"),
                HexFormat.of().formatHex(Secrets.sha256().digest("abc".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void aKeyedHmacMatchesTheVectorEveryTimeItIsUsed() {
        // RFC 4231 test case 2, three times from one prototype (a clone must not carry the previous message)
        Secrets.HmacSha256 hmac = new Secrets.HmacSha256("Jefe".getBytes(StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            assertEquals(
                    "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                    hmac.hex("what do ya want for nothing?"));
        }
        assertNotEquals(hmac.hex("what do ya want for nothing?"), hmac.hex("something else"));
    }

    @Test
    void randomValuesHaveTheirShapeAndDiffer() {
        String token = Secrets.randomToken(32);
        assertTrue(token.matches("[A-Za-z0-9_-]{43}"), token);
        assertNotEquals(token, Secrets.randomToken(32));
        assertTrue(Secrets.randomHex(16).matches("[0-9a-f]{32}"));
        assertTrue(Secrets.randomDigits(6).matches("\\d{6}"));
        assertEquals(24, Secrets.randomBytes(24).length);
    }

    @Test
    void constantTimeEqualsTreatsNullAsNeverEqual() {
        assertTrue(Secrets.constantTimeEquals("same", "same"));
        assertFalse(Secrets.constantTimeEquals("same", "Same"));
        assertFalse(Secrets.constantTimeEquals(null, null));
        assertFalse(Secrets.constantTimeEquals("a", null));
    }
}
