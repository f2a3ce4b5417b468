package com.aiphoto.core.account;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RoleTest {
    @Test
    void storedInLowerCaseAndParsedInAnyCase() {
        assertEquals("admin", Role.ADMIN.id());
        assertEquals(Role.USER, Role.parse("user"));
        assertEquals(Role.ADMIN, Role.parse("ADMIN"));
        assertThrows(IllegalArgumentException.class, () -> Role.parse("root"));
    }
}
