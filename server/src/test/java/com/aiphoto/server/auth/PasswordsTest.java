package com.aiphoto.server.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.server.platform.ApiException;
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
    void loneSurrogateIsRefusedNotA500() {
        // issue 8 #3: BouncyCastle's UTF-8 encoder threw on a lone UTF-16 surrogate
        assertThrows(ApiException.class, () -> Passwords.validate("abcdefgh\uD800", "p"));
        assertThrows(ApiException.class, () -> Passwords.validate("\uDC00abcdefgh", "p"));
        assertDoesNotThrow(() -> Passwords.validate("abcdefgh\uD83D\uDE00", "p"), "a pair is fine");
        String hash = passwords.hash("abcdefgh");
        assertFalse(assertDoesNotThrow(() -> passwords.matches("abcdefgh\uD800", hash)));
    }
}
