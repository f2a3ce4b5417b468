package com.aiphoto.core.account;

import java.util.Locale;

/** {@code user} or {@code admin}; stored and sent in lower case. */
public enum Role {
    USER,
    ADMIN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String value) {
        return Role.valueOf(value.toUpperCase(Locale.ROOT));
    }
}
