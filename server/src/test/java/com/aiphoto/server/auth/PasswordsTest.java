package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.testing.Concurrently;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordsTest {
    private final Passwords passwords = new Passwords(10);

    @Test
    void bcryptWithCostAtLeastTenAndSalted() {
        String a = passwords.hash("correct horse");
        assertTrue(a.startsWith("$2b$10$"), a);
        assertNotEquals(a, passwords.hash("correct horse"), "salted");
        assertTrue(passwords.matches("correct horse", a));
        assertFalse(passwords.matches("correct horsE", a));
        assertFalse(passwords.matches("correct horse", null));
        assertFalse(passwords.matches("", a));
    }

    @Test
    void lengthRulesCountCharactersAndBytes() {
        assertThrows(ApiException.class, () -> Passwords.validate("1234567", "p"));
        assertDoesNotThrow(() -> Passwords.validate("12345678", "p"));
        assertDoesNotThrow(() -> Passwords.validate("x".repeat(72), "p"));
        assertThrows(ApiException.class, () -> Passwords.validate("x".repeat(73), "p"));
        // 30 characters but 90 bytes: bcrypt would silently ignore the tail
        assertThrows(ApiException.class, () -> Passwords.validate("密".repeat(30), "p"));
        assertFalse(passwords.matches("x".repeat(80), passwords.hash("x".repeat(72))));
    }

    @Test
    void bcryptWorkBeyondTheBoundWaitsBrieflyThenIs429() throws Exception {
        // issue 8 #9: every request could start a bcrypt at once, so a flood of logins took all the CPU
        Passwords bounded = new Passwords(14, 1, Duration.ofMillis(50)); // cost 14: about a second each
        List<Concurrently.Outcome<String>> outcomes = Concurrently.attempt(2, () -> bounded.hash("correct horse"));
        List<Throwable> refused = outcomes.stream()
                .filter(Concurrently.Outcome::failed)
                .map(Concurrently.Outcome::error)
                .toList();
        assertEquals(1, refused.size(), "one runs, the other gave up after 50 ms");
        assertEquals(ErrorCode.RATE_LIMITED, ((ApiException) refused.get(0)).error());
        assertTrue(
                bounded.matches(
                        "correct horse",
                        outcomes.stream()
                                .filter(o -> !o.failed())
                                .findFirst()
                                .orElseThrow()
                                .value()),
                "the permit was given back");
    }

    @Test
    void loneSurrogateIsRefusedNotA500() {
        // issue 8 #3: BouncyCastle's UTF-8 encoder threw on a lone UTF-16 surrogate
        assertThrows(ApiException.class, () -> Passwords.validate("abcdefgh\uD800", "p"));
        assertThrows(ApiException.class, () -> Passwords.validate("\uDC00abcdefgh", "p"));
        assertDoesNotThrow(() -> Passwords.validate("abcdefgh\uD83D\uDE00", "p"), "a pair is fine");
        String hash = passwords.hash("abcdefgh");
        assertFalse(assertDoesNotThrow(() -> passwords.matches("abcdefgh\uD800", hash)));
    }
}
