package com.aiphoto.server.auth;

import com.aiphoto.core.account.Role;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/** Access tokens for tests of other features: signed as the server signs them, for a user already in the database. */
public final class TestTokens {
    private TestTokens() {}

    /** A valid token of {@code userId} (role user) under {@code jwtSecret}, the server's JWT_SECRET. */
    public static String issue(String jwtSecret, long userId) {
        AccessTokens tokens =
                new AccessTokens(AccessTokens.secretBytes(jwtSecret), Duration.ofHours(1), Clock.systemUTC());
        return tokens.issue(new User(userId, null, null, null, null, null, Role.USER, null, 0, Instant.now()));
    }
}
